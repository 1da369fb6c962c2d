"""The Textual workbench: documents, the coding screen, the codebook; over the services."""
