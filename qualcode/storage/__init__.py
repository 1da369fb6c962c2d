"""Storage: SQLModel tables, the engine, schema migrations and repository functions."""
