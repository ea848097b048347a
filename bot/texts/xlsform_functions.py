"""What the XLSForm reader says about the functions a form's expressions use."""

from __future__ import annotations

PULLDATA = (
    "rumus '{expression}' memakai pulldata(), yang membaca file CSV lampiran; bot belum bisa membaca lampiran CSV. "
    "Ganti pulldata() dengan pertanyaan biasa atau calculate tanpa pulldata."
)
