"""Conversational forms as data: field types and their parsing, and the two forms (laporan, evaluasi)."""
