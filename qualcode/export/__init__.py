"""Exports: CSV safe for spreadsheets, JSON Lines codings, REFI-QDA projects."""
