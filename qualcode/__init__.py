"""qualcode: terminal-native qualitative coding of Scandinavian interview transcripts."""

__version__ = "0.1.0"
