"""The choice lists of a program kerja: bidang, sumber dana and PPKS.

They are the bundled laporan workbook's lists (bot/data/xlsforms/laporan.xlsx), written out here because a plan
outlives any version of the laporan: a program's bidang code means the same for the whole year, whatever Dinsos
changes in the laporan's wording. tests/test_xlsform_builtin.py checks that the bundled workbook agrees.
"""

from __future__ import annotations

from bot.forms.fields import Choice
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
