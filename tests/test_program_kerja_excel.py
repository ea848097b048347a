"""Program kerja through the Excel template: written, filled in as a person fills it, read back with every problem
named by row and column; in the chat from the template's button to Ajukan; and the export's two sheets."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from bot.program_kerja import template
from bot.program_kerja.lists import BIDANG, PPKS
from bot.texts import program_excel as t
from bot.texts import program_kerja as pk
from bot.wilayah import kecamatan_by_code, load_kecamatan
from bot.xlsx_export import parse_period, to_xlsx
from handlers.program_kerja_excel import tpl_callback
from storage import program_kerja, program_uploads, wilayah
from storage.db import Database
from storage.export import all_tables
from storage.migrate import apply_pending
from tests.conftest import ADMIN_1, ANGGOTA, KETUA, SUMBER_GROUP, World
from tests.support.harness import WIB
from tests.support.plans import approved_plan, plan_with, program
from tests.support.reports import stored_report
from tests.test_forms import buttons, last
from tests.test_registration import approve_sumber
from tests.test_xlsform_bot import PENDATAAN
from tests.test_xlsx_export import rows

SUMBER = kecamatan_by_code("32.09.15")
WALED = kecamatan_by_code("32.09.01")
assert SUMBER is not None and WALED is not None
YEAR = 2027  # the planning year on the test clock (Senin, 23 November 2026)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


# --- filling the template as a person does, with openpyxl ----------------------------------------------------


def opened(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def header_columns(ws: Worksheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in ws[template.HEADER_ROW] if cell.value}


def fill(ws: Worksheet, row: int, months: tuple[str, ...] = (), **cells: Any) -> None:
    """Type into one row: `cells` by field name (None empties a cell), 'ya' under each of `months`."""
    where = header_columns(ws)
    for name, value in cells.items():
        ws.cell(row, where[pk.FIELD_LABELS[name]]).value = value
    for short in MONTHS:
        ws.cell(row, where[short]).value = "ya" if short in months else None


def a_program(ws: Worksheet, row: int, nama: str, months: tuple[str, ...] = ("Mar",), **cells: Any) -> None:
    """A whole program typed in, picked from the dropdowns where the template has them."""
    values: dict[str, Any] = {
        "nama": nama, "bidang": "Olahraga dan Seni Budaya", "tujuan": "Pemuda aktif berolahraga",
        "sasaran_ppks": None, "sasaran_lain": "Pemuda", "lokasi": "Tingkat kecamatan", "target_peserta": 40,
        "target_penerima": 0, "anggaran": 2_000_000, "sumber_dana": "Swadaya", "penanggung_jawab": "Seksi olahraga",
        "indikator": "Turnamen selesai dengan 8 tim",
    }  # fmt: skip
    fill(ws, row, months, **(values | cells))


def saved(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- the template ------------------------------------------------------------------------------------------


def test_the_template_is_written_with_its_dropdowns_explanation_and_marker_and_reads_back_the_same_programs():
    bank = program(SUMBER.code, nama="Bank sampah", bulan="Jan, Jul", lokasi="Kaliwadas", sasaran_ppks="PPKS-24",
                   anggaran="750000")  # fmt: skip
    santunan = program(SUMBER.code, nama="Santunan lansia", bulan="semua", sasaran_ppks="Lanjut Usia Terlantar, 9")
    data = template.workbook(SUMBER, YEAR, [bank, santunan])
    book = opened(data)
    assert book.sheetnames == ["Program kerja", "Daftar", "Petunjuk", "penanda"]
    assert [ws.sheet_state for ws in book.worksheets] == ["visible", "hidden", "visible", "veryHidden"]
    ws = book["Program kerja"]
    assert ws["A1"].value == "Program Kerja Karang Taruna Kecamatan Sumber Tahun 2027"
    where = header_columns(ws)
    assert set(where) >= {*(v for k, v in pk.FIELD_LABELS.items() if k != "bulan"), *MONTHS}
    first = {header: ws.cell(template.FIRST_ROW, column).value for header, column in where.items()}
    assert first | {"Nama program/kegiatan": "Bank sampah", "Lokasi": "Kaliwadas", "Sasaran PPKS": "Fakir Miskin",
                    "Anggaran (Rp)": 750_000, "Jan": "ya", "Feb": None, "Jul": "ya",
                    "Bidang": "Pendidikan dan Pelatihan", "ID program (jangan diubah)": bank.uid} == first  # fmt: skip
    uid_letter = openpyxl.utils.get_column_letter(where["ID program (jangan diubah)"])
    assert ws.column_dimensions[uid_letter].hidden

    # Dropdowns: bidang, sumber dana and lokasi from the hidden list, 'ya' for each month, PPKS open to typing.
    lists = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv for dv in ws.data_validations.dataValidation
             if dv.type == "list"}  # fmt: skip
    letter = {header: openpyxl.utils.get_column_letter(column) for header, column in where.items()}
    assert lists[letter["Bidang"]].formula1 == "Daftar!$A$2:$A$11" and lists[letter["Bidang"]].showErrorMessage
    assert lists[letter["Sumber dana"]].formula1 == "Daftar!$B$2:$B$8"
    assert lists[letter["Lokasi"]].formula1 == f"Daftar!$C$2:$C${len(SUMBER.villages) + 2}"
    assert lists[letter["Jan"]].formula1 == '"ya"' and str(lists[letter["Jan"]].sqref).startswith(f"{letter['Jan']}6:")
    assert lists[letter["Sasaran PPKS"]].showErrorMessage is False
    daftar = book["Daftar"]
    assert [daftar.cell(n, 3).value for n in range(2, 4)] == ["Tingkat kecamatan", SUMBER.villages[0].name]
    assert [daftar.cell(n, 1).value for n in range(2, 12)] == [c.label for c in BIDANG]

    petunjuk = {cell.value for line in book["Petunjuk"].iter_rows() for cell in line if cell.value}
    assert {c.label for c in PPKS} | {c.value for c in PPKS} | {c.label for c in BIDANG} <= petunjuk
    assert set(pk.FIELD_LABELS.values()) <= petunjuk and t.HINTS["bulan"] in petunjuk
    for sheet in (ws, book["Petunjuk"]):
        assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$4:$5"
    assert template.marker(data) == template.Marker(template.TEMPLATE_VERSION, SUMBER.code, YEAR)

    # A person raises the bank's budget, as typed on a laptop set to Indonesian, and adds a third program.
    fill(ws, template.FIRST_ROW, ("Jan", "Jul"), anggaran="1.000.000")
    a_program(ws, template.FIRST_ROW + 2, "Turnamen voli", ("Agu", "Sep"), sasaran_ppks="Anak Terlantar, PPKS-09",
              lokasi="kaliwadas", sumber_dana="CSR")  # fmt: skip
    read = template.read(saved(book), SUMBER)
    assert (read.refused, read.problems, read.year) == (None, [], YEAR)
    voli = read.programs[2]
    assert read.programs == [replace(bank, anggaran=1_000_000), santunan, voli]
    assert voli.uid not in (bank.uid, santunan.uid)
    assert voli == program(
        SUMBER.code, uid=voli.uid, nama="Turnamen voli", bidang="b05", tujuan="Pemuda aktif berolahraga",
        sasaran_ppks="PPKS-02, PPKS-09", sasaran_lain="Pemuda", bulan="8, 9", lokasi="Kaliwadas", target_peserta="40",
        target_penerima="0", anggaran="2000000", sumber_dana="csr", penanggung_jawab="Seksi olahraga",
        indikator="Turnamen selesai dengan 8 tim",
    )  # fmt: skip


def test_a_row_copied_in_excel_is_a_new_program_and_the_original_keeps_its_uid():
    bank = program(SUMBER.code, nama="Bank sampah")
    book = opened(template.workbook(SUMBER, YEAR, [bank]))
    ws = book["Program kerja"]
    for column in range(1, ws.max_column + 1):
        ws.cell(template.FIRST_ROW + 1, column).value = ws.cell(template.FIRST_ROW, column).value
    fill(ws, template.FIRST_ROW + 1, ("Mar", "Jun"), nama="Bank sampah desa")
    read = template.read(saved(book), SUMBER)
    assert read.problems == []
    assert [p.uid == bank.uid for p in read.programs] == [True, False]


def test_a_template_with_errors_names_every_problem_by_row_and_column_in_indonesian():
    book = opened(template.workbook(SUMBER, YEAR))
    ws = book["Program kerja"]
    row = template.FIRST_ROW
    a_program(ws, row, "Turnamen voli")  # good
    a_program(ws, row + 1, "Senam lansia", ("Mar",))
    ws.cell(row + 1, header_columns(ws)["Mei"]).value = "mungkin"
    a_program(ws, row + 2, "Bazar UMKM", anggaran=-500_000)
    a_program(ws, row + 3, "Kerja bakti", lokasi="Antah Berantah")
    a_program(ws, row + 4, "Pelatihan komputer", penanggung_jawab=None)
    a_program(ws, row + 5, "Donor darah", lokasi=WALED.villages[0].name)  # a desa of Waled, not of Sumber
    a_program(ws, row + 6, "Lomba", months=())

    read = template.read(saved(book), SUMBER)

    assert read.refused is None
    found = [(p.row, p.column) for p in read.problems]
    assert found == [
        (7, "Bulan pelaksanaan (Mei)"),
        (8, "Anggaran (Rp)"),
        (9, "Lokasi"),
        (10, "Penanggung jawab"),
        (11, "Lokasi"),
        (12, "Bulan pelaksanaan"),
    ]
    messages = [p.message for p in read.problems]
    assert "'mungkin' tidak dikenal; tulis 'ya'" in messages[0]
    assert messages[1] == "Angka 0 sampai 100.000.000.000."
    assert messages[2].startswith("'Antah Berantah' bukan desa/kelurahan di Kecamatan Sumber")
    assert messages[3] == "Wajib diisi."
    assert messages[4].startswith(f"'{WALED.villages[0].name}' bukan desa/kelurahan di Kecamatan Sumber")
    assert messages[5] == "Isi minimal satu bulan pelaksanaan."


def _many_rows() -> bytes:
    book = opened(template.workbook(SUMBER, YEAR))
    for offset in range(61):
        a_program(book["Program kerja"], template.FIRST_ROW + offset, f"Program {offset + 1}")
    return saved(book)


def _renamed_header() -> bytes:
    book = opened(template.workbook(SUMBER, YEAR))
    ws = book["Program kerja"]
    ws.cell(template.HEADER_ROW, header_columns(ws)["Tujuan"]).value = "Maksud"
    return saved(book)


def _plain_workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "Nama program/kegiatan"
    return saved(book)


@pytest.mark.parametrize(
    ("data", "refusal"),
    [
        (_plain_workbook, t.NOT_A_TEMPLATE),
        (lambda: b"bukan excel", t.DAMAGED),
        (lambda: template.workbook(SUMBER, YEAR)[:3000], t.DAMAGED),
        (lambda: template.workbook(WALED, YEAR), t.another_kecamatan("Waled", "Sumber")),
        (_many_rows, t.too_many_rows(61, 60)),
        (lambda: b"PK" + b"\0" * (template.MAX_BYTES + 1), t.too_big("1,0 MB", "1,0 MB")),
        (lambda: template.workbook(SUMBER, YEAR), t.EMPTY_TEMPLATE),
        (_renamed_header, t.missing_column("Tujuan")),
    ],
    ids=[
        "another-workbook",
        "not-excel",
        "damaged",
        "another-kecamatan",
        "too-many-rows",
        "too-big",
        "empty",
        "renamed-column",
    ],
)
def test_a_file_that_is_not_this_kecamatans_template_is_refused_with_one_message(data, refusal):
    read = template.read(data(), SUMBER)
    assert read.refused == refusal and read.programs == [] and read.problems == []


# --- through the chat --------------------------------------------------------------------------------------


async def template_from_button(world: World, user: int, kecamatan_code: str = "32.09.15") -> dict:
    """The person presses /programkerja's template button (on any message of the bot in their chat)."""
    await world.say(user, user, "/start")
    return await world.press(user, last(world, user), tpl_callback(kecamatan_code, YEAR))


def sent_template(world: World) -> bytes:
    request = world.fake.calls("sendDocument")[-1]
    assert request.ok
    return request.params["document"].data


async def send_file(world: World, user: int, data: bytes, name: str = "program-kerja-2027-sumber.xlsx") -> dict:
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    document = world.fake.new_file(data, "document", file_name=name, mime_type=mime)
    await world.bot.handled(world.fake.send_message(user, user, document=document))
    await world.sent()
    return last(world, user)


def two_programs(data: bytes) -> bytes:
    book = opened(data)
    ws = book["Program kerja"]
    a_program(ws, template.FIRST_ROW, "Turnamen voli", ("Agu",), anggaran=1_500_000)
    a_program(ws, template.FIRST_ROW + 1, "Bank sampah", ("Jan", "Jul"), anggaran="750.000", bidang="Lingkungan Hidup",
              lokasi="Kaliwadas", sasaran_ppks="Fakir Miskin")  # fmt: skip
    return saved(book)


async def sumber_plans(world: World) -> list[program_kerja.Plan]:
    return await program_kerja.versions(world.bot.app.bot_data.db, SUMBER.code, YEAR)


async def test_the_ketua_fills_the_template_sees_a_preview_and_submits_it_to_dinsos(world):
    await approve_sumber(world)
    await template_from_button(world, KETUA)
    document = last(world, KETUA)
    assert document["document"]["file_name"] == "program-kerja-2027-sumber.xlsx"
    assert "Template program kerja 2027 Kecamatan Sumber" in document["caption"]

    preview = await send_file(world, KETUA, two_programs(sent_template(world)))

    assert "Pratinjau" in preview["text"] and "2 program, total anggaran Rp2.250.000" in preview["text"]
    assert "1. Turnamen voli (Agu, Rp1.500.000)" in preview["text"]
    assert "2. Bank sampah (Jan, Jul, Rp750.000)" in preview["text"]
    assert list(buttons(preview)) == [t.BUTTON_SAVE, t.BUTTON_SUBMIT, t.BUTTON_CANCEL]
    assert await sumber_plans(world) == []  # nothing is stored before the person chooses

    await world.press(KETUA, preview, buttons(preview)[t.BUTTON_SUBMIT])

    [plan] = await sumber_plans(world)
    assert (plan.version, plan.status, plan.submitted_by_id) == (1, "diajukan", KETUA)
    db = world.bot.app.bot_data.db
    assert [p.nama for p in await program_kerja.programs(db, plan.id)] == ["Turnamen voli", "Bank sampah"]
    assert "sudah diajukan ke Dinas Sosial" in last(world, KETUA)["text"]
    copy = next(m for m in world.fake.messages(ADMIN_1) if "diajukan oleh" in m.get("text", ""))
    assert "Program kerja 2027 Kecamatan Sumber" in copy["text"] and "2 program" in copy["text"]
    assert set(buttons(copy).values()) == {f"pk:ok:{plan.id}", f"pk:fix:{plan.id}"}
    assert "sudah diajukan ke Dinas Sosial" in last(world, SUMBER_GROUP)["text"]

    # The same button again, and the same file again while Dinsos reviews: nothing changes, and the bot says so.
    await world.press(KETUA, preview, buttons(preview)[t.BUTTON_SUBMIT])
    assert last(world, KETUA)["text"] == t.ALREADY_DONE
    again = await send_file(world, KETUA, two_programs(sent_template(world)))
    assert again["text"] == t.UNDER_REVIEW
    assert [(p.id, p.status) for p in await sumber_plans(world)] == [(plan.id, "diajukan")]


async def test_the_preview_survives_a_restart_and_a_stale_one_changes_nothing(world):
    await approve_sumber(world)
    await template_from_button(world, KETUA)
    preview = await send_file(world, KETUA, two_programs(sent_template(world)))

    await world.bot.restart()
    await world.press(KETUA, preview, buttons(preview)[t.BUTTON_SAVE])

    [plan] = await sumber_plans(world)
    assert plan.status == "draf" and "tersimpan sebagai draf: 2 program" in last(world, KETUA)["text"]
    db = world.bot.app.bot_data.db
    # A second file is read; before it is answered, the plan changes on another path (the page).
    book = opened(two_programs(sent_template(world)))
    a_program(book["Program kerja"], template.FIRST_ROW + 2, "Senam lansia")
    later = await send_file(world, KETUA, saved(book))
    assert "menggantikan 2 program" in later["text"]
    added = program(SUMBER.code, nama="Dari halaman")
    world.clock.advance(timedelta(minutes=5))
    assert await program_kerja.save_program(db, plan.id, added, now=world.clock.now())

    await world.press(KETUA, later, buttons(later)[t.BUTTON_SUBMIT])

    assert last(world, KETUA)["text"] == t.STALE
    [still] = await sumber_plans(world)
    assert still.status == "draf"
    assert [p.nama for p in await program_kerja.programs(db, plan.id)] == ["Turnamen voli", "Bank sampah",
                                                                           "Dari halaman"]  # fmt: skip


async def test_batal_changes_nothing_and_an_accepted_plan_is_revised_as_a_new_version(world):
    await approve_sumber(world)
    db = world.bot.app.bot_data.db
    kept = program(SUMBER.code, nama="Bank sampah")
    accepted = await approved_plan(db, SUMBER.code, YEAR, [kept], now=world.clock.now())
    await template_from_button(world, KETUA)
    assert "Sudah berisi 1 program" in last(world, KETUA)["caption"]
    book = opened(sent_template(world))
    fill(book["Program kerja"], template.FIRST_ROW, ("Mar", "Jun"), anggaran=900_000)
    a_program(book["Program kerja"], template.FIRST_ROW + 1, "Turnamen voli")

    first = await send_file(world, KETUA, saved(book))
    await world.press(KETUA, first, buttons(first)[t.BUTTON_CANCEL])
    assert last(world, KETUA)["text"] == t.CANCELLED
    assert [p.id for p in await sumber_plans(world)] == [accepted.id]

    second = await send_file(world, KETUA, saved(book))
    assert "perubahan ke-1" in second["text"] and "tetap berlaku" in second["text"]
    await world.press(KETUA, second, buttons(second)[t.BUTTON_SAVE])
    revision, in_force = await sumber_plans(world)
    assert (revision.version, revision.status, in_force.status) == (2, "draf", "diterima")
    revised = await program_kerja.programs(db, revision.id)
    assert [(p.nama, p.uid == kept.uid, p.anggaran) for p in revised] == [
        ("Bank sampah", True, 900_000),
        ("Turnamen voli", False, 2_000_000),
    ]


async def test_a_template_with_problems_is_answered_row_by_row_within_one_message_and_nothing_is_stored(world):
    await approve_sumber(world)
    await template_from_button(world, KETUA)
    book = opened(sent_template(world))
    ws = book["Program kerja"]
    for offset in range(60):
        a_program(ws, template.FIRST_ROW + offset, f"Program {offset + 1}", anggaran="banyak", lokasi="Bandung",
                  target_peserta=-1, penanggung_jawab=None)  # fmt: skip

    reply = await send_file(world, KETUA, saved(book))

    text = reply["text"]
    assert len(text) <= 4096 and "program kerja tidak berubah" in text
    assert "Baris 6, kolom Lokasi: 'Bandung' bukan desa/kelurahan di Kecamatan Sumber" in text
    assert "Baris 6, kolom Anggaran (Rp):" in text and "Baris 6, kolom Penanggung jawab: Wajib diisi." in text
    assert "dan " in text and " masalah lain" in text
    assert await sumber_plans(world) == []


async def test_someone_who_is_not_a_pengurus_can_neither_download_nor_send_the_template(world):
    await approve_sumber(world)
    filled = two_programs(template.workbook(SUMBER, YEAR))  # the ketua's file, passed on to a member

    pressed = await template_from_button(world, ANGGOTA)
    assert world.fake.callback_answer(pressed["callback_query"]["id"])["text"] == t.NOT_PENGURUS_ALERT
    assert not world.fake.calls("sendDocument")
    reply = await send_file(world, ANGGOTA, filled)

    assert reply["text"] == t.not_pengurus("Sumber")
    assert await sumber_plans(world) == []
    assert await program_uploads.get(world.bot.app.bot_data.db, 1) is None


async def test_an_admins_xlsform_is_still_an_xlsform_upload(world):
    reply = await send_file(world, ADMIN_1, PENDATAAN, "pendataan.xlsx")
    assert "Pendataan keluarga" in reply["text"] and set(buttons(reply)) == {"Coba isi", "Terbitkan"}
    assert len(world.fake.calls("getFile")) == 1  # looked at for a template's marker and read from one download


# --- the export --------------------------------------------------------------------------------------------


@pytest.fixture
async def db(tmp_path):
    database = Database(tmp_path / "export.db")
    await database.open()
    await apply_pending(database)
    await wilayah.sync(database, load_kecamatan())
    yield database
    await database.close()


async def _laporan(db: Database, tanggal: str, program_uid: str | None, nama: str, peserta: int, dana: int) -> None:
    answers = {
        "nama_kegiatan": nama, "bidang": "b01", "tanggal": tanggal,
        "lokasi": {"code": "kecamatan", "name": "Tingkat kecamatan"}, "jumlah_peserta": peserta, "ppks": [],
        "jumlah_penerima": 10, "sumber_dana": "apbdes", "jumlah_dana": dana, "hasil": "Berjalan baik", "foto": [],
    }  # fmt: skip
    if program_uid is not None:
        answers["program"] = program_uid
    await stored_report(db, "laporan", user_id=KETUA, user_name="Asep", kecamatan_code=SUMBER.code,
                        now=datetime(2027, 3, 6, 3, 0, tzinfo=UTC), answers=answers)  # fmt: skip


async def test_the_export_has_each_kecamatans_program_kerja_and_its_realization(db):
    made = datetime(2027, 1, 10, 3, 0, tzinfo=UTC)
    sablon = program(SUMBER.code, nama="Sablon", bulan="Mar, Jun", anggaran="1000000", target_peserta="30")
    lansia = program(SUMBER.code, nama="Santunan lansia", bulan="Feb", anggaran="500000", lokasi="Kaliwadas")
    await approved_plan(db, SUMBER.code, YEAR, [sablon, lansia], now=made)
    # A revision in progress does not replace the plan in force in the export.
    await plan_with(db, SUMBER.code, YEAR, [sablon], now=made)
    await plan_with(db, WALED.code, YEAR, [program(WALED.code, nama="Kerja bakti")], now=made)
    await _laporan(db, "2027-03-05", sablon.uid, "Sablon kaos angkatan 1", peserta=25, dana=400_000)
    await _laporan(db, "2027-03-20", None, "Rapat pengurus", peserta=12, dana=0)

    # The export made on Friday 2 April 2027: February and March have ended, June has not.
    book = opened(to_xlsx(await all_tables(db), tz=WIB, generated_at=datetime(2027, 4, 2, 3, 0, tzinfo=UTC)))

    assert book.sheetnames.index("Program kerja") == book.sheetnames.index("Status kecamatan") + 1
    assert book.sheetnames.index("Realisasi") == book.sheetnames.index("Program kerja") + 1
    plans = rows(book["Program kerja"])
    assert [(r["Kecamatan"], r["Versi"], r["Status rencana"], r["Nama program/kegiatan"]) for r in plans] == [
        ("Waled", 1, "Draf", "Kerja bakti"),
        ("Sumber", 1, "Diterima", "Sablon"),
        ("Sumber", 1, "Diterima", "Santunan lansia"),
    ]
    assert plans[1] | {
        "Tahun": 2027, "No.": 1, "Bidang": "Pendidikan dan Pelatihan", "Sasaran PPKS": "Anak Balita Terlantar",
        "Bulan pelaksanaan": "Mar, Jun", "Lokasi": "Tingkat kecamatan", "Target peserta": 30,
        "Anggaran (Rp)": 1_000_000, "Sumber dana": "APBDes", "Kode kecamatan": SUMBER.code, "ID program": sablon.uid,
    } == plans[1]  # fmt: skip
    assert plans[2]["Lokasi"] == "Kaliwadas"

    realized = {r["Nama program/kegiatan"]: r for r in rows(book["Realisasi"])}
    assert realized["Sablon"] | {
        "Status realisasi": "Sebagian", "Bulan terlaksana": "Mar", "Bulan terlambat": None, "Jumlah kegiatan": 1,
        "Peserta": 25, "Target peserta": 30, "Dana terpakai": 400_000, "Anggaran": 1_000_000,
        "Kegiatan terakhir": datetime(2027, 3, 5), "Nama kegiatan terakhir": "Sablon kaos angkatan 1",
    } == realized["Sablon"]  # fmt: skip
    assert (realized["Santunan lansia"]["Status realisasi"], realized["Santunan lansia"]["Bulan terlambat"]) == (
        "Belum terlaksana", "Feb")  # fmt: skip
    assert realized["Kerja bakti"]["Status realisasi"] == "Belum terlaksana"
    sheet = book["Realisasi"]
    below = {sheet.cell(n, 1).value: sheet.cell(n, 2).value for n in range(1, sheet.max_row + 1)}
    assert below["Realisasi dihitung sampai"] == "2 April 2027"
    assert (below[t.EXPORT_PROGRAMS_LATE], below[t.EXPORT_OUTSIDE]) == (2, 1)
    # A period keeps the plans of its years: November 2026 has none.
    november = parse_period("2026-11", date(2026, 11, 27))
    tables = await all_tables(db)
    earlier = opened(to_xlsx(tables, tz=WIB, period=november, generated_at=datetime(2027, 4, 2, 3, 0, tzinfo=UTC)))
    assert rows(earlier["Program kerja"]) == [] and rows(earlier["Realisasi"]) == []
    for ws in (book["Program kerja"], sheet):
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
        assert ws.cell(2, 1).value in (t.EXPORT_PLAN_SUBJECT, t.EXPORT_REALIZATION_SUBJECT)
