"""A sample LPJ program kerja, to look at: a year of Kecamatan Sumber (an approved plan, laporan with photos) in a
fresh database, written as a .docx, and its first pages as PNG when LibreOffice is installed.

    python scripts/render_lpj_sample.py                 # writes test-artifacts/lpj/
    python scripts/render_lpj_sample.py --pages 4 --out somewhere/

LibreOffice (`soffice`) is not a dependency of the bot: without it only the .docx is written. The database is
filled through the same storage calls as the bot (the tests' factories), the photos are drawn here.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import matplotlib  # noqa: E402

matplotlib.use("Agg")
from matplotlib import pyplot  # noqa: E402

from bot.program_kerja import lpj  # noqa: E402
from bot.wilayah import load_kecamatan  # noqa: E402
from storage import wilayah  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import apply_pending  # noqa: E402
from tests.support.plans import approved_plan, program  # noqa: E402
from tests.support.reports import stored_report  # noqa: E402

YEAR = 2027
SUMBER = next(k for k in load_kecamatan() if k.name == "Sumber")
VILLAGES = SUMBER.villages
APPROVED_AT = datetime(YEAR, 1, 12, 3, 0, tzinfo=UTC)
MADE_AT = datetime(YEAR, 12, 20, 2, 0, tzinfo=UTC)

# name, bidang, months, lokasi (None: tingkat kecamatan), anggaran, sumber dana, target peserta, target penerima
PLAN = (
    ("Pelatihan sablon remaja putus sekolah", "Pendidikan dan Pelatihan", "Mar, Jun, Sep", None, "4.500.000",
     "APBDes", "30", "30"),
    ("Santunan lansia terlantar", "2", "Apr, Des", 0, "6.000.000", "Donatur", "15", "40"),
    ("Bank sampah RW 03", "Lingkungan Hidup", "Semua", 1, "2.400.000", "Swadaya", "20", "0"),
    ("Turnamen voli antardesa", "Olahraga dan Seni Budaya", "Agu", None, "7.500.000", "APBD", "160", "0"),
    ("Pengajian remaja bulanan", "Kerohanian dan Pembinaan Mental", "Feb, Mei, Okt", 2, "900.000", "Swadaya",
     "50", "0"),
    ("Pendataan PPKS bersama TKSK", "Hubungan Masyarakat dan Kemitraan", "Jul", None, "1.200.000", "APBDes",
     "12", "120"),
    ("Siaga banjir musim hujan", "Kebencanaan", "Jan, Nov", 3, "3.000.000", "CSR", "25", "60"),
)  # fmt: skip
# program index (None: outside the plan), date, name, peserta, penerima, dana, photos, hasil
LAPORAN = (
    (6, "2027-01-18", "Apel siaga banjir", 28, 0, 350_000, 2, "Posko dan jalur evakuasi disepakati."),
    (4, "2027-02-14", "Pengajian remaja Februari", 46, 0, 150_000, 1, "Kajian tentang kepedulian sosial."),
    (2, "2027-02-21", "Penimbangan sampah perdana", 18, 0, 200_000, 3, "120 kg sampah terpilah."),
    (0, "2027-03-06", "Sablon angkatan 1", 14, 14, 1_400_000, 2, "14 remaja mampu menyablon kaos satu warna."),
    (2, "2027-03-20", "Penimbangan sampah Maret", 19, 0, 150_000, 2, "Tabungan sampah anggota Rp640.000."),
    (None, "2027-04-27", "Kerja bakti pasca angin kencang", 60, 12, 250_000, 1, "Lima rumah diperbaiki."),
    (1, "2027-04-30", "Santunan lansia bulan Ramadan", 10, 35, 2_800_000, 2, "35 lansia menerima paket sembako."),
    (4, "2027-05-16", "Pengajian remaja Mei", 52, 0, 150_000, 0, "Diikuti remaja dari tujuh desa."),
    (0, "2027-06-12", "Sablon angkatan 2", 15, 15, 1_450_000, 2, "Produk dijual di pasar desa."),
    (5, "2027-07-10", "Pendataan PPKS desa", 12, 118, 1_100_000, 2, "118 PPKS terdata dan dilaporkan ke TKSK."),
    (3, "2027-08-17", "Final turnamen voli", 180, 0, 7_200_000, 2, "Juara: Desa Kaliwadas."),
    (None, "2027-09-02", "Donor darah bersama PMI", 45, 45, 0, 1, "45 kantong darah."),
    (4, "2027-10-18", "Pengajian remaja Oktober", 48, 0, 150_000, 1, "Kajian tentang bahaya narkoba."),
    (6, "2027-11-22", "Simulasi evakuasi banjir", 40, 55, 900_000, 2, "55 warga bantaran sungai ikut simulasi."),
)  # fmt: skip
COLOURS = ("#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3")


def drawn_photo(number: int, title: str, portrait: bool) -> bytes:
    """A stand-in for a documentation photo: a coloured JPEG-sized PNG with its caption."""
    figure = pyplot.figure(figsize=(3, 4) if portrait else (4, 3), dpi=100)
    figure.patch.set_facecolor(COLOURS[number % len(COLOURS)])
    figure.text(0.5, 0.5, f"Foto {number}\n{title}", ha="center", va="center", color="white", fontsize=11, wrap=True)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    pyplot.close(figure)
    return buffer.getvalue()


async def sample_year(db: Database) -> dict[str, bytes]:
    """Sumber's year in storage; returns the photos by the file id the laporan hold."""
    programs = [
        program(SUMBER.code, nama=name, bidang=bidang, bulan=months,
                lokasi=VILLAGES[lokasi].name if lokasi is not None else "Tingkat kecamatan", anggaran=anggaran,
                sumber_dana=sumber, target_peserta=peserta, target_penerima=penerima)
        for name, bidang, months, lokasi, anggaran, sumber, peserta, penerima in PLAN
    ]  # fmt: skip
    await approved_plan(db, SUMBER.code, YEAR, programs, now=APPROVED_AT)
    photos: dict[str, bytes] = {}
    for index, (linked, day, name, peserta, penerima, dana, count, hasil) in enumerate(LAPORAN):
        ids = []
        for n in range(count):
            file_id = f"sample-{index}-{n}"
            photos[file_id] = drawn_photo(len(photos) + 1, name, portrait=n == 1)
            ids.append(file_id)
        village = VILLAGES[index % len(VILLAGES)]
        plan = programs[linked] if linked is not None else None
        answers = {
            "nama_kegiatan": name, "bidang": plan.bidang if plan else "b06", "tanggal": day,
            "lokasi": {"code": village.code, "name": village.name}, "jumlah_peserta": peserta, "ppks": [],
            "jumlah_penerima": penerima, "sumber_dana": "swadaya", "jumlah_dana": dana, "hasil": hasil,
            "foto": ids, "program": plan.uid if plan else "luar",
        }  # fmt: skip
        await stored_report(db, "laporan", user_id=2001, user_name="Asep", kecamatan_code=SUMBER.code,
                            now=APPROVED_AT, answers=answers)  # fmt: skip
    return photos


async def write_docx(out: Path) -> Path:
    with tempfile.TemporaryDirectory() as folder:
        db = Database(Path(folder) / "sample.db")
        await db.open()
        try:
            await apply_pending(db)
            await wilayah.sync(db, load_kecamatan())
            photos = await sample_year(db)

            async def fetch(file_id: str) -> bytes | None:
                return photos.get(file_id)

            data = await lpj.build(db, SUMBER.code, YEAR, today=date(YEAR, 12, 20),
                                   fetch_photo=fetch, generated_at=MADE_AT)  # fmt: skip
        finally:
            await db.close()
    path = out / lpj.filename(SUMBER, YEAR)
    path.write_bytes(data)
    return path


def render_pages(docx: Path, out: Path, pages: int) -> list[Path]:
    """The first pages as PNG through LibreOffice (and pdftoppm when there, for more than the first page)."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        print("LibreOffice (soffice) is not installed: only the .docx was written.")
        return []
    run = [office, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(docx)]
    subprocess.run(run, check=True, capture_output=True, timeout=300)
    pdf = out / docx.with_suffix(".pdf").name
    if shutil.which("pdftoppm"):
        prefix = out / docx.stem
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", str(pages), str(pdf), str(prefix)],
                       check=True, timeout=300)  # fmt: skip
        return sorted(out.glob(f"{docx.stem}-*.png"))
    run = [office, "--headless", "--convert-to", "png", "--outdir", str(out), str(docx)]
    subprocess.run(run, check=True, capture_output=True, timeout=300)
    return [out / docx.with_suffix(".png").name]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "test-artifacts" / "lpj")
    parser.add_argument("--pages", type=int, default=3, help="pages rendered to PNG (with LibreOffice)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    docx = asyncio.run(write_docx(args.out))
    print(docx)
    for page in render_pages(docx, args.out, args.pages):
        print(page)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
