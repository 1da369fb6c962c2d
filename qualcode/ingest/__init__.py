"""Readers that turn transcript files into text, paragraphs and speaker turns."""
