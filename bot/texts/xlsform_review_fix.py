"""What Dinsos's decision on an uploaded form's submission tells the group, and what its correction says: the
Perbaiki button, who may correct, and the corrected version reaching Dinsos (issue 18)."""

from __future__ import annotations

from bot.texts import esc


def fix_request(title: str, number: int, note: str) -> str:
    """To the submitter and the kecamatan group, when Dinsos asks for a correction."""
    return (
        f"✏️ Dinas Sosial meminta perbaikan <b>{esc(title)} #{number}</b>:\n<i>{esc(note)}</i>\n"
        "Tekan tombol di bawah untuk memperbaikinya; versi sebelumnya tetap tersimpan."
    )


def fix_button(title: str, number: int) -> str:
    return f"Perbaiki {title} #{number}"[:64]


def opened(title: str, number: int) -> str:
    """Before the summary of a submission opened again for correction."""
    return (
        f"✏️ Perbaikan <b>{esc(title)} #{number}</b>: jawaban yang dikirim sebelumnya sudah terisi. Tekan "
        "<b>Ubah</b> untuk mengganti yang perlu diperbaiki, lalu <b>Kirim</b>."
    )


def not_asked(title: str, number: int) -> str:
    return (
        f"{esc(title)} #{number} tidak sedang diminta perbaikan: sudah diterima Dinas Sosial, atau sudah "
        "diperbaiki. Tidak ada yang dibuka."
    )


def not_member(title: str, number: int) -> str:
    return (
        f"Hanya pengirim dan anggota grup kecamatan {esc(title)} #{number} yang dapat memperbaikinya. Mohon minta "
        "mereka menekan tombol Perbaiki."
    )


def submitted(title: str, number: int, version: int) -> str:
    return f"✅ Terima kasih! Perbaikan {esc(title)} #{number} (versi {version}) sudah terkirim ke Dinas Sosial."


def not_applied(title: str, number: int) -> str:
    """A correction sent after another member's correction, or after Dinsos accepted the submission."""
    return (
        f"Perbaikan {esc(title)} #{number} tidak dikirim: kiriman itu sudah diperbaiki atau sudah diterima Dinas "
        "Sosial. Jawaban ini tidak disimpan."
    )


def admin_copy_line(version: int) -> str:
    """Above the answers in the admins' copy of a corrected submission."""
    return f"✏️ Perbaikan atas permintaan Dinas Sosial · versi {version}"


# The dashboard: ?hasil=versi_baru after a decision on a version a correction had replaced.
RESULT_REPLACED = "Kiriman ini sudah diperbaiki sebelum keputusan itu; tidak ada yang diubah. Tinjau versi terbarunya."


def version_line(version: int) -> str:
    """The dashboard's submission page, under its title, once it was corrected."""
    return f"Versi {version}: diperbaiki setelah Dinas Sosial meminta perbaikan."


def note_sent(title: str, number: int) -> str:
    """To the admin, after the note typed for Perlu perbaikan on a copy in the chat."""
    return f"Catatan perbaikan untuk {esc(title)} #{number} sudah dikirim ke grup kecamatan dan pengirimnya."


# A copy's button pressed after the decision, or after a correction replaced the version it shows (an alert).
REVIEW_ALREADY = "Kiriman ini sudah ditinjau; keputusannya tertulis pada salinan kiriman itu."
REVIEW_OUTDATED = "Kiriman ini sudah diperbaiki pengirimnya. Versi terbarunya dikirim sebagai salinan baru."
