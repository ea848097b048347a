"""The LPJ program kerja: a kecamatan's year as a Word document, opened with python-docx and read back; and
`/ekspor lpj <kecamatan> <tahun>` through the real bot."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import UTC, date, datetime

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table
from docx.text.paragraph import Paragraph

from bot.program_kerja import lpj
from bot.program_kerja.model import KECAMATAN_LEVEL
from bot.texts import program_lpj as t
from bot.wilayah import load_kecamatan
from storage import program_kerja, wilayah
from storage.db import Database
from storage.migrate import apply_pending
from tests.conftest import ADMIN_1, KETUA, World
from tests.support.plans import approved_plan, plan_with, program
from tests.support.reports import stored_report

SUMBER = next(k for k in load_kecamatan() if k.name == "Sumber")
KALIWADAS = next(v for v in SUMBER.villages if v.name == "Kaliwadas")
APPROVED_AT = datetime(2027, 1, 10, 3, 0, tzinfo=UTC)  # Minggu, 10 Januari 2027, 10.00 WIB
MADE_AT = datetime(2028, 1, 5, 2, 30, tzinfo=UTC)  # Rabu, 5 Januari 2028, 09.30 WIB


def png(width: int, height: int) -> bytes:
    """A plain grey PNG of this size, made here so the test needs no image file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.fixture
async def db(tmp_path):
    database = Database(tmp_path / "lpj.db")
    await database.open()
    await apply_pending(database)
    await wilayah.sync(database, load_kecamatan())
    yield database
    await database.close()


async def laporan(db: Database, nama: str, tanggal: str, program_uid: str | None, *, peserta: int = 25,
                  penerima: int = 10, dana: int = 400_000, foto: tuple[str, ...] = (),
                  hasil: str = "Berjalan dengan baik") -> None:  # fmt: skip
    answers = {
        "nama_kegiatan": nama, "bidang": "b01", "tanggal": tanggal,
        "lokasi": {"code": KALIWADAS.code, "name": KALIWADAS.name}, "jumlah_peserta": peserta, "ppks": [],
        "jumlah_penerima": penerima, "sumber_dana": "apbdes", "jumlah_dana": dana, "hasil": hasil,
        "foto": list(foto), "program": program_uid or "luar",
    }  # fmt: skip
    await stored_report(db, "laporan", user_id=KETUA, user_name="Asep", kecamatan_code=SUMBER.code,
                        now=APPROVED_AT, answers=answers)  # fmt: skip


async def a_year(db: Database, photo_ids: dict[str, str] | None = None) -> dict[str, str]:
    """Sumber's 2027: three programs (one done, one never held and late, one half done), four linked laporan
    with photos, one laporan outside the plan. Returns the program uids by name."""
    ids = photo_ids or {name: name for name in ("s1", "s2", "s3", "s4", "b1", "b2")}
    sablon = program(SUMBER.code, nama="Pelatihan sablon remaja", bulan="Mar, Jun", anggaran="1.500.000",
                     target_peserta="30", target_penerima="20")  # fmt: skip
    lansia = program(SUMBER.code, nama="Santunan lansia", bidang="Kerohanian dan Pembinaan Mental",
                     bulan="Mar", anggaran="2.000.000", target_peserta="10", target_penerima="40",
                     sumber_dana="Donatur")  # fmt: skip
    sampah = program(SUMBER.code, nama="Bank sampah", bidang="Lingkungan Hidup", bulan="Apr, Agu",
                     anggaran="1.000.000", lokasi=KALIWADAS.name, target_peserta="15", target_penerima="0")  # fmt: skip
    await approved_plan(db, SUMBER.code, 2027, [sablon, lansia, sampah], now=APPROVED_AT)
    await laporan(db, "Sablon angkatan 1", "2027-03-06", sablon.uid, peserta=12, penerima=8, dana=600_000,
                  foto=(ids["s1"], ids["s2"], ids["s3"]), hasil="12 remaja menyablon kaos")  # fmt: skip
    await laporan(db, "Kerja bakti", "2027-05-01", None, peserta=40, penerima=0, dana=150_000)
    await laporan(db, "Sablon angkatan 2", "2027-06-12", sablon.uid, peserta=14, penerima=9, dana=500_000,
                  foto=(ids["s4"],))  # fmt: skip
    await laporan(db, "Pemilahan sampah", "2027-04-17", sampah.uid, peserta=9, penerima=0, dana=100_000,
                  foto=(ids["b1"], ids["b2"]))  # fmt: skip
    return {"sablon": sablon.uid, "lansia": lansia.uid, "sampah": sampah.uid}


def texts_of(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def outline(document: DocxDocument) -> list[str]:
    """The headings and the notes in italics (no activity, a photo missing), in the order they stand."""
    return [
        block.text
        for block in document.iter_inner_content()
        if isinstance(block, Paragraph)
        and (block.style.name.startswith("Heading") or (block.runs and all(r.font.italic for r in block.runs)))
    ]


def table_after(document: DocxDocument, heading: str) -> Table:
    """The first table below a heading."""
    seen = False
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph) and block.text == heading:
            seen = True
        elif seen and isinstance(block, Table):
            return block
    raise AssertionError(heading)


# --- The document --------------------------------------------------------------------------------------------


async def test_the_lpj_shows_the_plan_its_realization_each_activity_with_photos_and_the_totals(db):
    await a_year(db)
    photos = {"s1": png(64, 48), "s2": png(48, 64), "s3": png(10, 10), "s4": png(64, 48), "b1": png(64, 48)}
    asked: list[str] = []

    async def fetch(file_id: str) -> bytes | None:
        asked.append(file_id)
        return photos.get(file_id)  # b2: Telegram would not give it

    data = await lpj.build(db, SUMBER.code, 2027, today=date(2027, 7, 1), fetch_photo=fetch, generated_at=MADE_AT)
    document = Document(io.BytesIO(data))

    cover = [p.text for p in document.paragraphs[:12] if p.text]
    assert cover[:4] == ["LAPORAN PERTANGGUNGJAWABAN", "PROGRAM KERJA TAHUN 2027", "KARANG TARUNA KECAMATAN SUMBER",
                         "KABUPATEN CIREBON"]  # fmt: skip
    assert "Program kerja versi 1" in cover
    assert "Diterima Dinas Sosial: Siti, Minggu, 10 Januari 2027 pukul 10.00 WIB" in cover
    assert "Dibuat Rabu, 5 Januari 2028 pukul 09.30 WIB" in cover

    plan_table = document.tables[0]
    header, *rows, total = texts_of(plan_table)
    assert header == list(t.PLAN_HEADERS)
    assert rows == [
        ["1", "Pelatihan sablon remaja", "Pendidikan dan Pelatihan", "Mar, Jun", "Tingkat kecamatan", "30 / 20",
         "Rp1.500.000", "APBDes", "Terlaksana", "26 / 17", "Rp1.100.000", "–"],
        ["2", "Santunan lansia", "Kerohanian dan Pembinaan Mental", "Mar", "Tingkat kecamatan", "10 / 40",
         "Rp2.000.000", "Donatur", "Belum terlaksana", "0 / 0", "Rp0", "Mar"],
        ["3", "Bank sampah", "Lingkungan Hidup", "Apr, Agu", "Kaliwadas", "15 / 0", "Rp1.000.000", "APBDes",
         "Sebagian", "9 / 0", "Rp100.000", "–"],
    ]  # fmt: skip
    assert (
        total[1] == "Jumlah" and total[5:7] == ["55 / 60", "Rp4.500.000"] and total[9:11] == ["35 / 17", "Rp1.200.000"]
    )

    # Each activity under its program, in date order, with its photos or the line that says one is missing.
    assert outline(document)[outline(document).index(t.SECTION_ACTIVITIES) :] == [
        t.SECTION_ACTIVITIES,
        "1. Pelatihan sablon remaja",
        "Kegiatan 1: Sablon angkatan 1 (laporan #1)",
        "1 foto lain tersimpan di Telegram.",
        "Kegiatan 2: Sablon angkatan 2 (laporan #3)",
        "2. Santunan lansia",
        t.NO_ACTIVITY,
        "3. Bank sampah",
        "Kegiatan 1: Pemilahan sampah (laporan #4)",
        "Foto tidak dapat diunduh.",
        t.SECTION_TOTALS,
        t.SECTION_OUTSIDE,
        t.SECTION_SIGNATURES,
    ]
    details = texts_of(table_after(document, "Kegiatan 1: Sablon angkatan 1 (laporan #1)"))
    assert details == [["Tanggal", "Sabtu, 6 Maret 2027"], ["Tempat", "Kaliwadas"], ["Peserta", "12"],
                       ["Penerima manfaat", "8"], ["Dana", "Rp600.000"],
                       ["Hasil", "12 remaja menyablon kaos"]]  # fmt: skip
    assert len(document.inline_shapes) == 4  # two of the first activity's three, one, and one of the two
    assert sorted(asked) == ["b1", "b2", "s1", "s2", "s4"]  # the third photo is not even fetched

    totals = dict(map(tuple, texts_of(table_after(document, t.SECTION_TOTALS))[1:]))
    assert totals == {
        "Program direncanakan": "3",
        "Program terlaksana": "1",
        "Program terlaksana sebagian": "1",
        "Program belum terlaksana": "1",
        "Program dengan bulan terlambat": "1",
        "Kegiatan dalam program kerja": "3",
        "Kegiatan di luar program kerja": "1",
        "Dana terpakai dari anggaran": "Rp1.200.000 dari Rp4.500.000 (27%)",
        "Peserta dari target": "35 dari 55 (64%)",
        "Penerima manfaat dari target": "17 dari 60 (28%)",
        "Dana kegiatan di luar program kerja": "Rp150.000",
    }
    outside = texts_of(table_after(document, t.SECTION_OUTSIDE))
    assert outside == [list(t.OUTSIDE_HEADERS),
                       ["1", "1 Mei 2027", "Kerja bakti", "Pendidikan dan Pelatihan", "Kaliwadas", "40", "0",
                        "Rp150.000"]]  # fmt: skip
    signatures = texts_of(document.tables[-1])[0]
    assert signatures[0].startswith("Ketua,") and signatures[1].startswith("Sekretaris,")
    assert "Sumber, 1 Juli 2027" in [p.text for p in document.paragraphs]


async def test_pages_are_a4_the_plan_table_landscape_with_its_header_repeated_and_photos_fit_their_box(db):
    await a_year(db)
    tall = png(30, 300)

    async def fetch(file_id: str) -> bytes | None:
        return tall

    document = Document(io.BytesIO(await lpj.build(db, SUMBER.code, 2027, today=date(2027, 7, 1), fetch_photo=fetch)))
    sizes = [(round(s.page_width.cm, 1), round(s.page_height.cm, 1), s.orientation) for s in document.sections]
    assert sizes == [(21.0, 29.7, WD_ORIENT.PORTRAIT), (29.7, 21.0, WD_ORIENT.LANDSCAPE),
                     (21.0, 29.7, WD_ORIENT.PORTRAIT)]  # fmt: skip
    assert all(s.left_margin >= Cm(2) and s.right_margin >= Cm(2) for s in document.sections)
    header_row = document.tables[0].rows[0]._tr
    assert header_row.trPr.find(qn("w:tblHeader")) is not None
    usable = document.sections[2].page_width - document.sections[2].left_margin - document.sections[2].right_margin
    for shape in document.inline_shapes:
        assert shape.height == Cm(6) and shape.width == Cm(0.6)  # a tall photo as tall as the box, not wider
        assert 2 * shape.width < usable


async def test_a_plan_not_yet_approved_is_marked_so_and_laporan_count_against_its_latest_version(db):
    sablon = program(SUMBER.code, nama="Pelatihan sablon remaja", bulan="Mar")
    await plan_with(db, SUMBER.code, 2027, [sablon], now=APPROVED_AT)
    await laporan(db, "Sablon", "2027-03-06", sablon.uid)

    found = await lpj.contents(db, SUMBER.code, 2027, today=date(2027, 12, 31))
    document = Document(io.BytesIO(lpj.render(found)))

    assert not found.approved
    texts = [p.text for p in document.paragraphs]
    assert any(line.startswith("BELUM DITERIMA DINAS SOSIAL (status: Draf)") for line in texts)
    assert texts_of(document.tables[0])[1][8] == "Terlaksana"
    assert outline(document).count("Foto tidak dapat diunduh.") == 0  # no photos: no fetch, no missing line
    assert "Tidak ada foto dokumentasi." in texts


async def test_without_a_plan_every_laporan_is_outside_it_and_without_either_there_is_nothing_to_report(db):
    assert (await lpj.contents(db, SUMBER.code, 2027, today=date(2027, 12, 31))).empty
    await laporan(db, "Kerja bakti", "2027-05-01", None)
    found = await lpj.contents(db, SUMBER.code, 2027, today=date(2027, 12, 31))
    assert not found.empty and found.programs == ()
    document = Document(io.BytesIO(lpj.render(found)))
    assert t.NO_PLAN in [p.text for p in document.paragraphs]
    assert texts_of(table_after(document, t.SECTION_OUTSIDE))[1][2] == "Kerja bakti"


async def test_a_revision_waiting_for_dinsos_does_not_replace_the_plan_in_force(db):
    uids = await a_year(db)
    revision = await program_kerja.editable_plan(db, SUMBER.code, 2027, user_id=KETUA, user_name="Asep",
                                                 now=APPROVED_AT)  # fmt: skip
    await program_kerja.remove_program(db, revision.id, uids["lansia"], now=APPROVED_AT)
    found = await lpj.contents(db, SUMBER.code, 2027, today=date(2027, 12, 31))
    assert found.approved and found.plan is not None and found.plan.version == 1
    assert [row.realized.program.nama for row in found.programs] == ["Pelatihan sablon remaja", "Santunan lansia",
                                                                     "Bank sampah"]  # fmt: skip


def test_the_file_is_named_for_the_year_and_the_kecamatan():
    gunung_jati = next(k for k in load_kecamatan() if k.name == "Gunung Jati")
    assert lpj.filename(gunung_jati, 2027) == "LPJ-program-kerja-2027-gunung-jati.docx"


# --- /ekspor lpj through the bot -----------------------------------------------------------------------------


def sent_document(world: World) -> tuple[str, DocxDocument]:
    request = world.fake.calls("sendDocument")[-1]
    assert request.ok
    upload = request.params["document"]
    return upload.filename, Document(io.BytesIO(upload.data))


async def test_an_admin_gets_the_lpj_of_sumber_with_the_photos_telegram_keeps(world):
    world.clock.set(MADE_AT)
    db = world.bot.db
    stored = {name: world.fake.new_file(png(64, 48), "photo")[-1]["file_id"]
              for name in ("s1", "s2", "s3", "s4", "b1")}  # fmt: skip
    stored["b2"] = "AgADgoneFromTelegram"  # getFile answers 400 for it
    await a_year(db, stored)

    await world.say(ADMIN_1, ADMIN_1, "/ekspor lpj sumbr 2027")

    name, document = sent_document(world)
    assert name == "LPJ-program-kerja-2027-sumber.docx"
    caption = world.fake.messages(ADMIN_1)[-1]["caption"]
    assert len(caption) <= 1024
    assert "LPJ Program Kerja 2027" in caption and "Kecamatan Sumber" in caption
    assert "3 program: 1 terlaksana, 1 sebagian, 2 dengan bulan terlambat" in caption
    assert "1 foto tidak dapat diunduh" in caption
    statuses = [(row[1], row[8], row[10], row[11]) for row in texts_of(document.tables[0])[1:-1]]
    assert statuses == [("Pelatihan sablon remaja", "Terlaksana", "Rp1.100.000", "–"),
                        ("Santunan lansia", "Belum terlaksana", "Rp0", "Mar"),
                        ("Bank sampah", "Sebagian", "Rp100.000", "Agu")]  # fmt: skip
    assert len(document.inline_shapes) == 4
    assert "Dibuat Rabu, 5 Januari 2028 pukul 09.30 WIB" in [p.text for p in document.paragraphs]


async def test_the_year_defaults_to_this_one_and_a_name_with_a_space_is_one_kecamatan(world):
    world.clock.set(MADE_AT)
    gunung_jati = next(k for k in load_kecamatan() if k.name == "Gunung Jati")
    await stored_report(world.bot.db, "laporan", user_id=KETUA, user_name="Asep", kecamatan_code=gunung_jati.code,
                        now=MADE_AT, answers={"nama_kegiatan": "Donor darah", "bidang": "b01", "tanggal": "2028-01-03",
                                              "lokasi": {"code": KECAMATAN_LEVEL, "name": "Tingkat kecamatan"},
                                              "jumlah_peserta": 50, "jumlah_penerima": 50, "foto": []})  # fmt: skip

    await world.say(ADMIN_1, ADMIN_1, "/ekspor lpj Gunung Jati")

    name, document = sent_document(world)
    assert name == "LPJ-program-kerja-2028-gunung-jati.docx"
    assert "KARANG TARUNA KECAMATAN GUNUNG JATI" in [p.text for p in document.paragraphs]


async def test_unknown_kecamatan_bad_year_and_an_empty_year_get_a_clear_message_and_no_file(world):
    world.clock.set(MADE_AT)
    await world.say(ADMIN_1, ADMIN_1, "/ekspor lpj Atlantis 2027")
    assert "Kecamatan Atlantis tidak ditemukan di Kabupaten Cirebon" in world.fake.messages(ADMIN_1)[-1]["text"]

    await world.say(ADMIN_1, ADMIN_1, "/ekspor lpj Sumbre 2027")
    assert "Mungkin maksud Anda: Sumber" in world.fake.messages(ADMIN_1)[-1]["text"]

    for year in ("27", "2031", "tahun2027"):
        await world.say(ADMIN_1, ADMIN_1, f"/ekspor lpj Sumber {year}")
        assert f"Tahun {year} tidak dikenal" in world.fake.messages(ADMIN_1)[-1]["text"]

    await world.say(ADMIN_1, ADMIN_1, "/ekspor lpj")
    assert "Sebutkan kecamatannya" in world.fake.messages(ADMIN_1)[-1]["text"]

    await world.say(ADMIN_1, ADMIN_1, "/ekspor lpj Sumber 2027")
    assert "belum punya program kerja maupun laporan kegiatan tahun 2027" in world.fake.messages(ADMIN_1)[-1]["text"]
    assert world.fake.calls("sendDocument") == []


async def test_only_dinsos_admins_in_private_get_an_lpj(world):
    await a_year(world.bot.db)
    await world.say(KETUA, KETUA, "/ekspor lpj Sumber 2027")
    assert world.fake.calls("sendDocument") == []
    assert "admin" in world.fake.messages(KETUA)[-1]["text"].lower()
