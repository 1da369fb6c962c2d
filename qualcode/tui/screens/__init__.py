"""The workbench's screens: start, documents, coding, codebook, help and the modal prompts."""
