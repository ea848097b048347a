"""What the dashboard's Formulir pages say (uploaded XLSForms' submissions, issue 18), and the messages a decision
on a submission sends its submitter through Telegram."""

from __future__ import annotations

from html import escape

SCHEDULES = {"once": "Sekali", "weekly": "Mingguan", "monthly": "Bulanan"}
REVIEW_LABELS = {"diterima": "Diterima", "perlu_perbaikan": "Perlu perbaikan"}

# After a decision on the web: ?hasil=<key> on the submission's page.
RESULT = {
    "diterima": "Kiriman diterima. Pengirim diberi tahu lewat Telegram.",
    "perlu_perbaikan": "Catatan perbaikan dikirim ke pengirim lewat Telegram.",
    "sudah": "Kiriman ini sudah ditinjau; tidak ada yang diubah.",
    "catatan_kosong": "Tulis catatan perbaikan dulu; tidak ada yang diubah.",
}

NO_FORMS = "Belum ada formulir yang diterbitkan. Kirim file XLSForm (.xlsx) ke bot di chat pribadi untuk memulai."
NO_SUBMISSIONS = "Belum ada kiriman yang cocok dengan pilihan ini."
NO_ANSWERS = "Belum ada jawaban."
EXPECTED_ALL = "semua kecamatan aktif"


def expected_line(sent: int, expected: int) -> str:
    """'12 dari 40 kecamatan sudah mengirim'."""
    return f"{sent} dari {expected} kecamatan sudah mengirim"


def answered(count: int) -> str:
    return f"{count} jawaban"


def photos_from(count: int) -> str:
    """A photo question's summary: how many submissions sent one."""
    return f"Foto dari {count} kiriman"


def accepted_message(title: str, number: int) -> str:
    """To the submitter, when Dinsos accepted the submission."""
    return f"✅ <b>{escape(title)} #{number}</b> sudah diterima Dinas Sosial. Terima kasih."


def fix_message(title: str, number: int, note: str) -> str:
    """To the submitter, when Dinsos asks for a correction."""
    return (
        f"✏️ <b>{escape(title)} #{number}</b> perlu perbaikan menurut Dinas Sosial:\n\n{escape(note)}\n\n"
        "Mohon isi formulir ini lagi dengan data yang sudah diperbaiki."
    )
