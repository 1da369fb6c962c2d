"""Code suggestions: codebook term matching with negation and hypotheticals, and learning
from the project's own accepted and rejected codings."""
