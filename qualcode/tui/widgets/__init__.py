"""Reusable widgets of the workbench: the lazy transcript view, the turn panel, code chips."""
