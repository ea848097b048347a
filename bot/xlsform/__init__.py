"""The XLSForm engine: read (pyxform) → model → evaluate (elementpath) → session (the conversation, pure)."""
