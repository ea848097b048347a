"""What Dinsos's side of program kerja says: reviewing a plan in chat, /programkerja for admins (overview and
tenggat), the weekly reminder to submit a plan, "Program bulan ini", and the lines in the digest and /rekap.

`title` arguments come from bot.program_kerja.review.title (already HTML-safe); names and notes are escaped here.
"""

from __future__ import annotations

from bot.texts import esc
from bot.texts.program_kerja import STATUS_LABELS

# --- Review in chat (handlers/program_kerja_review.py) ---------------------------------------------------------

# Callback answers: Telegram shows at most 200 characters.
PLAN_GONE = "Program kerja ini tidak ditemukan. Ketik /tinjau untuk melihat yang menunggu."
PLAN_NOT_WAITING = "Program kerja ini tidak sedang menunggu tinjauan. Ketik /tinjau untuk melihat yang menunggu."
ACCEPTED_TOAST = "✅ Program kerja diterima. Grup dan pengajunya diberi tahu."


def plan_already_decided(status: str, admin: str, when: str) -> str:
    """A second decision on one submission: who decided what, when (an alert, under 200 characters)."""
    what = "diterima" if status == "diterima" else "dikembalikan untuk perbaikan"
    return f"Program kerja ini sudah {what} oleh {admin[:60]}, {when}. Ketik /tinjau untuk yang masih menunggu."


def ask_note(title: str) -> str:
    return (
        f"Tulis catatan perbaikan untuk {title}. Catatan dikirim ke grup kecamatan dan pengurus yang mengajukan. "
        "Ketik /batal untuk membatalkan."
    )


NOTE_EMPTY = "Mohon tulis catatan perbaikannya dalam bentuk teks."
NOTE_CANCELLED = "Permintaan perbaikan program kerja dibatalkan. Ketik /tinjau untuk melihat yang masih menunggu."


def note_sent(title: str) -> str:
    return f"Catatan perbaikan {title} sudah dikirim ke grup dan pengajunya. Ketik /tinjau untuk yang berikutnya."


def note_too_late(title: str) -> str:
    return f"{title} sudah diputuskan atau diajukan ulang, catatan ini tidak dikirim. Ketik /tinjau untuk melihatnya."


# --- /programkerja for Dinsos admins (handlers/program_kerja_admin.py) ------------------------------------------


def state_label(latest: str | None, in_force: bool) -> str:
    """'Diterima', 'Diajukan, menunggu Dinsos', 'Diterima; perubahan: draf', 'Belum disusun'."""
    if latest is None:
        return STATUS_LABELS["belum"]
    if in_force and latest != "diterima":
        return f"Diterima; perubahan: {STATUS_LABELS[latest].lower()}"
    return STATUS_LABELS[latest]


def overview_header(year: int, deadline: str | None, submitted: int, registered: int) -> list[str]:
    when = (
        f"Batas pengajuan: <b>{esc(deadline)}</b>"
        if deadline
        else f"Batas pengajuan belum ditetapkan; atur dengan <code>/programkerja tenggat 31/01/{year}</code>."
    )
    return [
        f"<b>Program kerja {year}</b>",
        when,
        f"Sudah diajukan atau diterima: {submitted} dari {registered} kecamatan terdaftar.",
        "",
    ]


def overview_line(name: str, state: str, programs: int, anggaran: str, realized: tuple[int, int, int] | None) -> str:
    """`realized` is (terlaksana, direncanakan, terlambat) of the plan in force; None while none is."""
    parts = [f"• <b>{esc(name)}</b>: {esc(state)}"]
    if programs:
        parts += [f"{programs} program", anggaran]
    if realized is not None:
        done, planned, late = realized
        parts.append(f"terlaksana {done}/{planned}")
        if late:
            parts.append(f"terlambat {late}")
    return " · ".join(parts)


OVERVIEW_NONE = "Belum ada kecamatan yang grupnya terdaftar."
OVERVIEW_FOOT = "\nUbah batas pengajuan: <code>/programkerja tenggat dd/mm/yyyy [tahun]</code>."

TENGGAT_USAGE = (
    "Gunakan <code>/programkerja tenggat 31/01/2027</code>; tahun program kerjanya boleh ditulis sesudahnya, "
    "misalnya <code>/programkerja tenggat 31/01/2027 2027</code>."
)


def tenggat_bad_date(written: str) -> str:
    return f"Tanggal «{esc(written[:40])}» tidak dikenali; tulis dd/mm/yyyy.\n{TENGGAT_USAGE}"


def tenggat_past(day: str) -> str:
    return f"{esc(day)} sudah lewat. Mohon pilih hari ini atau tanggal sesudahnya."


def tenggat_bad_year(written: str) -> str:
    return f"Tahun «{esc(written[:20])}» tidak dikenali; tulis 4 angka, misalnya 2027.\n{TENGGAT_USAGE}"


def tenggat_set(year: int, day: str, missing: int, registered: int) -> str:
    if not registered:
        who = "Belum ada kecamatan terdaftar."
    elif missing:
        who = (
            f"{missing} dari {registered} kecamatan terdaftar belum mengajukan; grupnya diingatkan setiap minggu "
            "sampai batas itu."
        )
    else:
        who = f"Semua {registered} kecamatan terdaftar sudah mengajukan."
    return f"✅ Batas pengajuan program kerja {year}: <b>{esc(day)}</b>.\n{who}"


# --- Weekly reminder, digest, monthly nudge (handlers/program_kerja_schedule.py) ---------------------------------


def plan_reminder(kecamatan: str, year: int, deadline: str) -> str:
    return (
        f"Yth. Pengurus Karang Taruna Kecamatan {esc(kecamatan)},\n"
        f"Program kerja {year} belum diajukan ke Dinas Sosial. Mohon disusun dan diajukan paling lambat "
        f"<b>{esc(deadline)}</b>.\n"
        "Admin grup dapat menyusunnya lewat /programkerja di chat pribadi dengan bot. Terima kasih."
    )


def digest_without_plan(year: int, deadline: str, passed: bool, names: list[str]) -> str:
    limit = f"batas {esc(deadline)}" + (", sudah lewat" if passed else "")
    if not names:
        return f"📋 Semua kecamatan terdaftar sudah mengajukan program kerja {year} ({limit})."
    return f"📋 Belum mengajukan program kerja {year} ({limit}) ({len(names)}): " + ", ".join(esc(n) for n in names)


def digest_late_header(month: str, count: int) -> str:
    return f"⏰ <b>Program terlambat {esc(month)}</b> (tanpa laporan kegiatan di bulan itu): {count} program"


def digest_late_line(kecamatan: str, programs: list[str]) -> str:
    return f"• {esc(kecamatan)}: " + "; ".join(esc(p) for p in programs)


def monthly_nudge(kecamatan: str, month: str, lines: list[str]) -> str:
    shown = "\n".join(f"{i}. {esc(line)}" for i, line in enumerate(lines[:30], start=1))
    more = f"\n… dan {len(lines) - 30} program lagi." if len(lines) > 30 else ""
    return (
        f"📅 <b>Program bulan ini – {esc(month)}</b>\n"
        f"Yth. Pengurus Karang Taruna Kecamatan {esc(kecamatan)}, program kerja yang direncanakan bulan ini:\n"
        f"{shown}{more}\n"
        "Setelah kegiatannya berlangsung, kirim laporannya dengan /laporan dan pilih programnya. Terima kasih."
    )


def nudge_line(nama: str, lokasi: str, anggaran: str) -> str:
    return f"{nama} ({lokasi}, {anggaran})"


# --- /rekap (handlers/recap.py) ------------------------------------------------------------------------------


def recap_header(year: int) -> str:
    return f"\n📋 <b>Program kerja {year}</b> (terlaksana/direncanakan)"


def recap_line(name: str, state: str, done: int, planned: int, late: int) -> str:
    """A bullet of its own: the evaluation lines above are '• <name> · …'."""
    parts = [f"▸ <b>{esc(name)}</b>", esc(state)]
    if planned:
        parts.append(f"terlaksana {done}/{planned}")
        parts.append(f"terlambat {late}" if late else "tidak ada yang terlambat")
    return " · ".join(parts)


def recap_without_plan(names: list[str]) -> str:
    return f"▸ Belum disusun ({len(names)}): " + ", ".join(esc(n) for n in names)
