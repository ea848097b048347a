"""Published XLSForms in the command line's `export --format xlsx` (and its photo ZIP): the same sheets /ekspor
sends, and every photo answer, repeats included, named by form, submission, kecamatan and question."""

from __future__ import annotations

import io
import zipfile

import openpyxl

from tests.conftest import ADMIN_1, ANGGOTA, World
from tests.support.xlsforms import q, xlsform
from tests.test_export import run_cli
from tests.test_forms import press, settled
from tests.test_registration import approve_sumber
from tests.test_xlsform_bot import follow_notice, send_xlsx
from tests.test_xlsx_export import rows, run_cli_async

DOKUMENTASI = xlsform(
    [
        q("text", "nama", "Nama kegiatan"),
        q("image", "foto_rumah", "Foto lokasi"),
        q("begin_repeat", "dokumentasi", "Dokumentasi"),
        q("image", "foto", "Kirim foto"),
        q("text", "ket", "Keterangan"),
        q("end_repeat", ""),
    ],
    settings={"form_title": "Dokumentasi kegiatan", "form_id": "dokumentasi", "version": "1"},
)

REPEAT_SHEET = "Dokumentasi kegiat - Dokumentas"  # the form's title and the repeat's, within Excel's 31


async def photo(world: World, user: int, content: bytes) -> None:
    await world.bot.handled(world.fake.send_message(user, user, photo=world.fake.new_file(content, "photo")))


async def fill(world: World, user: int, name: str, prefix: bytes) -> None:
    """Name, the location photo, then two documentation photos with their captions, and Kirim."""
    await world.say(user, user, name)
    await photo(world, user, prefix + b"-lokasi")
    for number in (1, 2):
        await photo(world, user, prefix + b"-dok-%d" % number)
        await world.say(user, user, f"Sesi {number}")
        await press(world, user, "Ya, tambah" if number == 1 else "Tidak")
    await press(world, user, "Kirim")


async def arranged(world: World) -> None:
    """An admin's test fill (never exported), then the form published and sent by a member of Sumber."""
    await approve_sumber(world)
    await send_xlsx(world, ADMIN_1, DOKUMENTASI, "dokumentasi.xlsx")
    await press(world, ADMIN_1, "Coba isi")
    await fill(world, ADMIN_1, "Uji coba admin", b"uji")
    await press(world, ADMIN_1, "Terbitkan")
    await press(world, ADMIN_1, "Setiap bulan")
    await press(world, ADMIN_1, "Semua kecamatan aktif")
    await follow_notice(world, ANGGOTA, "Dokumentasi kegiatan")
    await fill(world, ANGGOTA, "Kerja bakti", b"sumber")
    await settled(world)


async def test_the_cli_workbook_has_the_forms_sheet_and_its_repeats_sheet_as_ekspor_does(world, tmp_path):
    await arranged(world)
    run_cli(world, "export", "--format", "xlsx", cwd=tmp_path)
    [written] = tmp_path.glob("karangtaruna-*.xlsx")
    book = openpyxl.load_workbook(written)
    [submission] = rows(book["Dokumentasi kegiatan"])
    assert submission["No. kiriman"] == 1 and submission["Kecamatan"] == "Sumber"
    assert submission["Nama kegiatan"] == "Kerja bakti" and submission["Foto lokasi"]
    repeat = rows(book[REPEAT_SHEET])
    assert [(r["No. kiriman"], r["Isian ke"], r["Keterangan"]) for r in repeat] == [
        (1, "1", "Sesi 1"),
        (1, "2", "Sesi 2"),
    ]
    await world.say(ADMIN_1, ADMIN_1, "/ekspor")
    request = world.fake.calls("sendDocument")[-1]
    sent = openpyxl.load_workbook(io.BytesIO(request.params["document"].data))
    assert sent.sheetnames == book.sheetnames
    assert rows(sent[REPEAT_SHEET]) == repeat


async def test_the_cli_zip_holds_each_photo_answer_named_by_form_submission_kecamatan_and_question(world, tmp_path):
    await arranged(world)
    code, stderr = await run_cli_async(world, "export", "--format", "xlsx", "--with-photos", cwd=tmp_path)
    assert code == 0, stderr
    [written] = tmp_path.glob("karangtaruna-*.zip")
    with zipfile.ZipFile(written) as archive:
        photos = {name: archive.read(name) for name in archive.namelist() if name.startswith("foto/")}
    assert photos == {
        "foto/dokumentasi-1-sumber/foto-rumah.jpg": b"sumber-lokasi",
        "foto/dokumentasi-1-sumber/dokumentasi-1-foto.jpg": b"sumber-dok-1",
        "foto/dokumentasi-1-sumber/dokumentasi-2-foto.jpg": b"sumber-dok-2",
    }
