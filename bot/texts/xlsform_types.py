"""What the XLSForm engine says about the types of issue 18's types slice: range, rank, barcode, files, lines and
areas of points, the starting location, and what an upload leaves out."""

from __future__ import annotations

from html import escape as esc

# --- the upload -------------------------------------------------------------------------------------------

LOOP_IGNORED = "'begin loop' belum bisa diisi lewat chat; pengulangan ini beserta isinya dilewati."
ENTITY_IGNORED = "entitas (entities) belum didukung; formulir tetap bisa diisi, entitasnya tidak dibuat."


def ignored(kind: str, name: str) -> str:
    return f"jenis '{kind}' ('{name}') belum bisa diisi lewat chat; pertanyaan ini dilewati."


def ignored_notice(notes: list[str] | tuple[str, ...]) -> str:
    lines = "\n".join(f"• {esc(note)}" for note in notes)
    return f"⚠️ Bagian berikut dilewati, sisanya tetap ditanyakan:\n{lines}"


# --- range ------------------------------------------------------------------------------------------------


def range_how(start: str, end: str, step: str) -> str:
    return f"Tulis angka dari {start} sampai {end} (kelipatan {step})."


def range_outside(start: str, end: str) -> str:
    return f"Angka harus dari {start} sampai {end}."


def range_off_step(start: str, step: str) -> str:
    return f"Angka harus {start} ditambah kelipatan {step}."


RANGE_NOT_A_NUMBER = "Mohon tulis angka, misalnya 3."

# --- rank -------------------------------------------------------------------------------------------------

RANK_HOW = "Ketuk pilihan satu per satu, dari yang paling utama. Tekan Selesai bila semua sudah diurutkan."
RANK_NOT_ALL = "Urutkan semua pilihan dulu, lalu tekan Selesai."
RANK_TYPED_HOW = "Ketuk pilihannya berurutan, atau tulis semua pilihan berurutan dipisah koma."
BUTTON_RANK_RESET = "Ulangi urutan"


def rank_so_far(labels: list[str]) -> str:
    return "Urutan: " + ", ".join(f"{i}. {label}" for i, label in enumerate(labels, start=1))


# --- barcode ----------------------------------------------------------------------------------------------

BARCODE_HOW = "Tulis kodenya, atau kirim foto barcode/QR yang jelas."
BARCODE_UNREADABLE = "Barcode di foto tidak terbaca. Kirim foto yang lebih jelas, atau tulis kodenya."

# --- files ------------------------------------------------------------------------------------------------

FILE_EXPECTED = "Mohon kirim file sebagai dokumen (📎 → File)."
AUDIO_EXPECTED = "Mohon kirim pesan suara (🎤) atau file audio."
VIDEO_EXPECTED = "Mohon kirim video."
FILE_ANSWER = "1 file"
AUDIO_ANSWER = "1 rekaman suara"
VIDEO_ANSWER = "1 video"

# --- geotrace and geoshape --------------------------------------------------------------------------------

TRACE_HOW = "Kirim lokasi (📎 → Lokasi) satu per satu untuk setiap titik, lalu tekan Selesai."
TRACE_LOCATION_EXPECTED = "Mohon kirim lokasi (📎 → Lokasi) untuk titik berikutnya, atau tekan Selesai."
BUTTON_POINTS_RESET = "Ulangi titik"
TRACE_TOO_FEW = "Garis perlu paling sedikit 2 titik."
SHAPE_TOO_FEW = "Area perlu paling sedikit 3 titik."


def points_so_far(count: int) -> str:
    return f"Titik terkirim: {count}."


def points_shown(count: int) -> str:
    return f"{count} titik"


# --- start-geopoint ---------------------------------------------------------------------------------------

START_POINT_ASK = "📍 Kirim lokasi Anda saat ini dengan tombol di bawah, atau tekan Lewati."
BUTTON_SEND_LOCATION = "📍 Kirim lokasi"
BUTTON_SKIP_LOCATION = "Lewati"
START_POINT_SAVED = "Lokasi tersimpan."
START_POINT_SKIPPED = "Lokasi dilewati."
START_POINT_EXPECTED = "Mohon tekan tombol 📍 Kirim lokasi, atau Lewati."
