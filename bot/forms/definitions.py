"""The two forms, as data. Adding a question is adding one Field here; the engine needs no change.

The questions are the forms' own wording, kept with the form they belong to; the engine's sentences are in
bot/texts/.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.forms.fields import Choice, Field, FieldType
from bot.ppks import load_ppks

BIDANG = tuple(
    Choice(f"b{i:02d}", label)
    for i, label in enumerate(
        (
            "Pendidikan dan Pelatihan",
            "Usaha Kesejahteraan Sosial (pelayanan PPKS)",
            "Ekonomi Produktif/UMKM (KUBE)",
            "Kerohanian dan Pembinaan Mental",
            "Olahraga dan Seni Budaya",
            "Lingkungan Hidup",
            "Hubungan Masyarakat dan Kemitraan",
            "Organisasi/Kelembagaan",
            "Kebencanaan",
            "Lainnya",
        ),
        start=1,
    )
)

SUMBER_DANA = tuple(
    Choice(value, label)
    for value, label in (
        ("swadaya", "Swadaya"),
        ("apbdes", "APBDes"),
        ("apbd", "APBD"),
        ("apbn", "APBN"),
        ("csr", "CSR"),
        ("donatur", "Donatur"),
        ("lainnya", "Lainnya"),
    )
)

PPKS = tuple(Choice(p.code, p.name) for p in load_ppks())

KONDISI = (
    Choice("baik", "Baik"),
    Choice("cukup", "Cukup"),
    Choice("pendampingan", "Perlu pendampingan"),
)


@dataclass(frozen=True)
class Form:
    key: str  # laporan, evaluasi
    title: str
    fields: tuple[Field, ...]
    # One per kecamatan per reporting week (Senin-Minggu WIB): a second submission updates the first.
    weekly: bool = False
    # The workbook's settings.version (scripts/build_builtin_xlsforms.py): raised with every change of the
    # questions, so the bot registers the new workbook as a new version and open drafts finish on theirs.
    version: str = "1"

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)


LAPORAN = Form(
    "laporan",
    "Laporan kegiatan",
    (
        Field("nama_kegiatan", "Nama kegiatan", "Apa nama kegiatannya?", FieldType.TEXT,
              example="Pelatihan sablon untuk remaja", min_length=3, max_length=200),
        Field("bidang", "Bidang", "Kegiatan ini termasuk bidang apa?", FieldType.CHOICE, choices=BIDANG),
        # The example is built from today's date by the engine (fields.example).
        Field("tanggal", "Tanggal kegiatan", "Kapan kegiatan dilaksanakan?", FieldType.DATE),
        # Asked only when the kecamatan has an approved program kerja for the activity's year (issue 17).
        Field("program", "Program kerja", "Kegiatan ini bagian dari program kerja yang mana?", FieldType.PROGRAM,
              none_label="Di luar program kerja"),
        Field("lokasi", "Lokasi", "Di desa/kelurahan mana? Ketik namanya atau pilih tombol.", FieldType.VILLAGE,
              example="nama desa, atau 'tingkat kecamatan'"),
        Field("jumlah_peserta", "Jumlah peserta", "Berapa jumlah peserta?", FieldType.COUNT,
              example="35 atau 35 orang", max_value=100_000),
        Field("ppks", "PPKS yang dilayani", "PPKS apa saja yang dilayani? Tandai semua yang sesuai, lalu Selesai.",
              FieldType.MULTI_CHOICE, choices=PPKS, none_label="Tidak ada"),
        Field("jumlah_penerima", "Jumlah penerima manfaat", "Berapa jumlah penerima manfaat?", FieldType.COUNT,
              example="12 orang", max_value=100_000),
        Field("sumber_dana", "Sumber dana", "Dari mana sumber dananya?", FieldType.CHOICE, choices=SUMBER_DANA),
        Field("jumlah_dana", "Jumlah dana", "Berapa jumlah dananya (rupiah)?", FieldType.RUPIAH,
              example="Rp1.500.000, 1500000, atau 1,5 juta", required=False, max_value=100_000_000_000),
        Field("hasil", "Hasil/uraian", "Ceritakan singkat hasil kegiatannya.", FieldType.TEXT,
              example="25 remaja mampu menyablon kaos sendiri", min_length=10, max_length=2000),
        Field("kendala", "Kendala", "Apa kendala yang dihadapi?", FieldType.TEXT,
              example="Peralatan kurang", required=False, max_length=1000),
        Field("foto", "Foto dokumentasi", "Kirim foto dokumentasi (maksimal 10), lalu tekan Selesai.",
              FieldType.PHOTOS, required=False, max_photos=10),
    ),
    version="2",  # 2: the program kerja question
)  # fmt: skip

EVALUASI = Form(
    "evaluasi",
    "Evaluasi mingguan",
    (
        Field("jumlah_kegiatan", "Jumlah kegiatan minggu ini", "Berapa kegiatan yang dilaksanakan minggu ini?",
              FieldType.COUNT, example="3", max_value=1000),
        Field("capaian", "Capaian utama", "Apa capaian utama minggu ini?", FieldType.TEXT,
              example="Bank sampah di 2 desa mulai berjalan", min_length=5, max_length=2000),
        Field("jumlah_ppks", "Jumlah PPKS yang dilayani", "Berapa PPKS yang dilayani minggu ini?", FieldType.COUNT,
              example="15 orang", max_value=100_000),
        Field("kendala", "Kendala", "Apa kendala minggu ini?", FieldType.TEXT,
              example="Belum ada tempat pertemuan", min_length=2, max_length=1000),
        Field("rencana", "Rencana minggu depan", "Apa rencana minggu depan?", FieldType.TEXT,
              example="Rapat pengurus dan kunjungan lansia", min_length=5, max_length=1000),
        Field("kebutuhan", "Kebutuhan dukungan Dinsos", "Dukungan apa yang dibutuhkan dari Dinsos?", FieldType.TEXT,
              example="Narasumber pelatihan UMKM", required=False, max_length=1000),
        Field("kondisi", "Kondisi organisasi", "Bagaimana kondisi organisasi saat ini?", FieldType.CHOICE,
              choices=KONDISI),
    ),
    weekly=True,
)  # fmt: skip

FORMS = {form.key: form for form in (LAPORAN, EVALUASI)}
