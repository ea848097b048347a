"""/ekspor and `python -m bot export --format xlsx`: the Excel workbook Dinsos gets, read back with openpyxl."""

from __future__ import annotations

import asyncio
import io
import subprocess
import sys
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from bot.xlsx_export import EVERYTHING, HEADER_ROW, Period, PeriodError, parse_period, to_xlsx
from storage import forms
from tests.conftest import ADMIN_1, ANGGOTA, KETUA, STRANGER, SUMBER_GROUP, World
from tests.support.builtin_forms import EVALUASI, LAPORAN
from tests.support.child_env import child_env
from tests.support.harness import WIB
from tests.test_announcements import buttons as ann_buttons
from tests.test_announcements import compose, group_copies, kirim
from tests.test_export import run_cli
from tests.test_forms import fill_evaluasi, fill_laporan, press, settled
from tests.test_registration import approve_sumber

FIRST_SHEETS = ["Laporan kegiatan", "Evaluasi mingguan", "Pengumuman", "Status kecamatan"]


def rows(sheet: Worksheet) -> list[dict[str, Any]]:
    """The sheet's data as dicts keyed by its header row (below the title block, above the totals)."""
    header, *body = sheet.iter_rows(min_row=HEADER_ROW, values_only=True)
    data = []
    for line in body:
        if isinstance(line[0], str) and line[0].startswith("Jumlah ("):
            break
        data.append(dict(zip(header, line, strict=True)))
    return data


def headers(sheet: Worksheet) -> list[str]:
    return [cell.value for cell in sheet[HEADER_ROW]]


def sent_workbook(world: World) -> openpyxl.Workbook:
    """The workbook in the bot's latest sendDocument, as the fake server received the upload."""
    request = world.fake.calls("sendDocument")[-1]
    assert request.ok
    return openpyxl.load_workbook(io.BytesIO(request.params["document"].data))


async def submit_laporan(world: World, user: int, name: str) -> None:
    await world.say(user, user, "/laporan")
    await fill_laporan(world, user, name)
    await press(world, user, "Kirim")
    await settled(world)


async def test_ekspor_sends_one_workbook_with_every_kind_of_data_in_wib(world):
    await approve_sumber(world)
    await submit_laporan(world, ANGGOTA, "Pelatihan sablon remaja")  # Senin 23 November 2026, 09.00 WIB
    world.clock.advance(timedelta(hours=1))
    await world.say(KETUA, KETUA, "/evaluasi")
    await fill_evaluasi(world, KETUA, "Bank sampah berjalan")
    await press(world, KETUA, "Kirim")
    world.clock.advance(timedelta(hours=1))
    await kirim(world, await compose(world, "Rapat koordinasi Senin"))
    [copy] = group_copies(world, SUMBER_GROUP)
    world.clock.advance(timedelta(hours=2))
    await world.press(KETUA, copy, ann_buttons(copy)["Sudah dibaca"])

    await world.say(ADMIN_1, ADMIN_1, "/ekspor")

    [upload] = [r.params["document"] for r in world.fake.calls("sendDocument")]
    assert upload.filename == "karangtaruna-2026-11-23.xlsx"
    caption = world.fake.messages(ADMIN_1)[-1]["caption"]
    assert "semua data" in caption and "1 laporan kegiatan, 1 evaluasi mingguan, 1 pengumuman" in caption
    workbook = sent_workbook(world)
    assert workbook.sheetnames[:4] == FIRST_SHEETS and workbook.sheetnames[-1] == "Keterangan"

    laporan_sheet = workbook["Laporan kegiatan"]
    assert laporan_sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert laporan_sheet.auto_filter.ref.startswith(f"A{HEADER_ROW}:")
    for field in LAPORAN.fields:
        photo_columns = [f"{field.label} (jumlah)", "ID file Telegram (foto dokumentasi)"]
        wanted = photo_columns if field.key == "foto" else [field.label]
        assert set(wanted) <= set(headers(laporan_sheet)), field.key
    [report] = rows(laporan_sheet)
    [stored] = await forms.all_reports(world.bot.db, "laporan")
    assert report == report | {
        "No.": stored.number,
        "Kecamatan": "Sumber",
        "Kode kecamatan": "32.09.15",
        "Dikirim (WIB)": datetime(2026, 11, 23, 9, 0),
        "Versi": 1,
        "Pengirim": "Dewi",
        "ID Telegram pengirim": ANGGOTA,
        "Nama kegiatan": "Pelatihan sablon remaja",
        "Bidang": "Pendidikan dan Pelatihan",
        "Tanggal kegiatan": datetime(2026, 11, 22),
        "Lokasi": "Kaliwadas",
        "Jumlah peserta": 35,
        "PPKS yang dilayani": "Anak Terlantar, Lanjut Usia Terlantar",
        "Jumlah penerima manfaat": 12,
        "Sumber dana": "Swadaya",
        "Jumlah dana": None,
        "Kendala": "Peralatan kurang",
        "Foto dokumentasi (jumlah)": 2,
        "ID file Telegram (foto dokumentasi)": ", ".join(stored.answers["foto"]),
    }
    sent_at = laporan_sheet.cell(HEADER_ROW + 1, headers(laporan_sheet).index("Dikirim (WIB)") + 1)
    assert sent_at.number_format == "DD/MM/YYYY HH:MM"

    [evaluation] = rows(workbook["Evaluasi mingguan"])
    assert set(headers(workbook["Evaluasi mingguan"])) >= {f.label for f in EVALUASI.fields}
    assert evaluation == evaluation | {
        "Minggu mulai": datetime(2026, 11, 23),
        "Dikirim (WIB)": datetime(2026, 11, 23, 10, 0),
        "Pengirim": "Asep (@asep_kt)",
        "Jumlah kegiatan minggu ini": 3,
        "Capaian utama": "Bank sampah berjalan",
        "Jumlah PPKS yang dilayani": 15,
        "Kebutuhan dukungan Dinsos": None,
        "Kondisi organisasi": "Cukup",
    }

    [announcement] = rows(workbook["Pengumuman"])
    assert announcement == announcement | {
        "Dikirim (WIB)": datetime(2026, 11, 23, 11, 0),
        "Jenis": "Teks",
        "Isi": "Rapat koordinasi Senin",
        "Tujuan": "Semua kecamatan aktif",
        "Kecamatan": "Sumber",
        "Status kirim": "terkirim",
        "Sudah dibaca": "ya",
        "Dibaca (WIB)": datetime(2026, 11, 23, 13, 0),
        "ID pesan": copy["message_id"],
    }
    assert "Asep" in announcement["Dibaca oleh"]

    kecamatan = rows(workbook["Status kecamatan"])
    assert len(kecamatan) == 40
    sumber = next(k for k in kecamatan if k["Kecamatan"] == "Sumber")
    assert sumber == sumber | {
        "Status": "aktif",
        "Nama grup": "Karang Taruna Kec. Sumber",
        "Laporan kegiatan": 1,
        "Evaluasi mingguan": 1,
        "Pengumuman diterima": 1,
        "Pengumuman dibaca": 1,
    }


def reported_names(world: World) -> list[str]:
    return [row["Nama kegiatan"] for row in rows(sent_workbook(world)["Laporan kegiatan"])]


async def test_a_period_keeps_only_what_was_sent_on_its_days_in_wib(world):
    await approve_sumber(world)
    await submit_laporan(world, KETUA, "Kegiatan November")  # 23 November, 09.00 WIB
    world.clock.set(datetime(2026, 11, 30, 20, 0, tzinfo=UTC))  # Selasa, 1 Desember 2026, 03.00 WIB
    await submit_laporan(world, KETUA, "Kegiatan Desember")

    await world.say(ADMIN_1, ADMIN_1, "/ekspor bulan")
    assert reported_names(world) == ["Kegiatan Desember"]
    assert "bulan Desember 2026" in world.fake.messages(ADMIN_1)[-1]["caption"]
    await world.say(ADMIN_1, ADMIN_1, "/ekspor 2026-11")
    assert reported_names(world) == ["Kegiatan November"]
    await world.say(ADMIN_1, ADMIN_1, "/ekspor 1-11-2026..30-11-2026")
    assert reported_names(world) == ["Kegiatan November"]
    await world.say(ADMIN_1, ADMIN_1, "/ekspor 24/11/2026..1/12/2026")
    assert reported_names(world) == ["Kegiatan Desember"]
    assert "24 November 2026 s.d. 1 Desember 2026" in world.fake.messages(ADMIN_1)[-1]["caption"]
    assert len(world.fake.calls("sendDocument")) == 4


@pytest.mark.parametrize(
    ("argument", "reason"),
    [
        ("kemarin", "Periode tidak dikenali"),
        ("2026-13", "Bulan 2026-13 tidak ada"),
        ("31/11/2026..1/12/2026", "Tanggal 31/11/2026 tidak ada di kalender"),
        ("30/11/2026..1/11/2026", "Tanggal awal"),
        ("1/11/2026", "Periode tidak dikenali"),
    ],
)
async def test_a_bad_period_gets_the_usage_and_no_file(world, argument, reason):
    await world.say(ADMIN_1, ADMIN_1, f"/ekspor {argument}")
    text = world.fake.messages(ADMIN_1)[-1]["text"]
    assert reason in text and "Tidak ada file yang dikirim" in text and "/ekspor 2026-11" in text
    assert world.fake.calls("sendDocument") == []


async def test_only_dinsos_admins_in_private_get_the_export(world):
    await approve_sumber(world)
    await world.say(STRANGER, STRANGER, "/ekspor")
    assert "hanya untuk admin Dinas Sosial" in world.fake.messages(STRANGER)[-1]["text"]
    await world.say(KETUA, SUMBER_GROUP, "/ekspor")
    assert "hanya untuk admin Dinas Sosial" in world.fake.messages(SUMBER_GROUP)[-1]["text"]
    assert world.fake.calls("sendDocument") == []


async def test_the_cli_writes_the_same_workbook_under_a_dated_name(world, tmp_path):
    await approve_sumber(world)
    await submit_laporan(world, ANGGOTA, "Pelatihan sablon remaja")
    run_cli(world, "export", "--format", "xlsx", cwd=tmp_path)
    [written] = tmp_path.glob("karangtaruna-*.xlsx")
    workbook = openpyxl.load_workbook(written)
    assert workbook.sheetnames[:4] == FIRST_SHEETS
    [report] = rows(workbook["Laporan kegiatan"])
    assert report["Nama kegiatan"] == "Pelatihan sablon remaja" and report["Dikirim (WIB)"] == datetime(2026, 11, 23, 9)


async def run_cli_async(world: World, *args: str, cwd: Path) -> tuple[int, str]:
    """The CLI as a subprocess that talks to the fake server, which keeps serving while we wait."""
    env = child_env(
        BOT_TOKEN=world.fake.token,
        TELEGRAM_API_URL=world.fake.api_url,
        DATABASE_URL=f"sqlite:///{world.bot.config.database_path}",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=cwd, env=env, stderr=asyncio.subprocess.PIPE
    )
    _, stderr = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode or 0, stderr.decode()


async def test_with_photos_the_zip_holds_the_workbook_and_each_reports_photos(world, tmp_path):
    await approve_sumber(world)
    await submit_laporan(world, ANGGOTA, "Pelatihan sablon remaja")
    await submit_laporan(world, KETUA, "Kerja bakti")
    world.fake.fail_next("getFile", error_code=400, description="Bad Request: file is too big")

    code, stderr = await run_cli_async(world, "export", "--format", "xlsx", "--with-photos", cwd=tmp_path)

    assert code == 0, stderr
    assert "1 foto tidak dapat diunduh" in stderr
    [written] = tmp_path.glob("karangtaruna-*.zip")
    with zipfile.ZipFile(written) as archive:
        names = set(archive.namelist())
        assert names == {
            written.with_suffix(".xlsx").name,
            "foto/laporan-1/2.jpg",
            "foto/laporan-2/1.jpg",
            "foto/laporan-2/2.jpg",
            "foto/TIDAK-TERUNDUH.txt",
        }
        assert archive.read("foto/laporan-1/2.jpg") == b"foto-2" and archive.read("foto/laporan-2/1.jpg") == b"foto-1"
        missing = archive.read("foto/TIDAK-TERUNDUH.txt").decode()
        workbook = openpyxl.load_workbook(io.BytesIO(archive.read(written.with_suffix(".xlsx").name)))
    assert "Laporan kegiatan #1, foto 1" in missing and "File is too big" in missing
    assert [r["Nama kegiatan"] for r in rows(workbook["Laporan kegiatan"])] == [
        "Pelatihan sablon remaja",
        "Kerja bakti",
    ]


def test_with_photos_is_refused_for_json_and_csv(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "export", "--format", "csv", "--with-photos"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 2 and "--with-photos hanya untuk --format xlsx" in result.stderr


# --- The workbook and the period parser on their own ------------------------------------------------------

NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


def test_later_keys_and_tables_become_columns_and_sheets_and_typed_text_stays_text():
    report = {
        "id": 7, "kecamatan_code": "32.09.15", "week": None, "version": 1, "submitted_by_id": 5,
        "submitted_by": "Dewi", "created_at": "2026-11-23T02:00:00Z", "updated_at": "2026-11-23T02:00:00Z",
        "answers": {"nama_kegiatan": "=HYPERLINK(\"http://x\")", "jumlah_dana": 1_500_000, "ppks": [],
                    "tanggal": "2026-11-22", "pertanyaan_lama": "jawaban lama"},
        "versions": [],
        "review_status": "diterima", "reviewed_at": "2026-11-24T03:00:00Z",
    }  # fmt: skip
    tables = {
        "kecamatan": [{"code": "32.09.15", "name": "Sumber", "status": "aktif", "chat_id": None, "chat_title": None}],
        "reports": [report],
        "announcements": [],
        "pengingat": [{"id": 1, "kecamatan_code": "32.09.15", "sent_at": "2026-11-23T17:30:00Z"}],
    }
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx(tables, tz=WIB, generated_at=NOW)))
    sheet = workbook["Laporan kegiatan"]
    [row] = rows(sheet)
    assert row["Nama kegiatan"] == '=HYPERLINK("http://x")'
    name_cell = sheet.cell(HEADER_ROW + 1, headers(sheet).index("Nama kegiatan") + 1)
    assert name_cell.data_type == "s"
    dana = sheet.cell(HEADER_ROW + 1, headers(sheet).index("Jumlah dana") + 1)
    assert dana.value == 1_500_000 and dana.number_format == '"Rp"#,##0'
    assert row["PPKS yang dilayani"] == "Tidak ada"
    assert row["pertanyaan_lama"] == "jawaban lama"
    assert row["Status tinjauan"] == "diterima" and row["Ditinjau (WIB)"] == datetime(2026, 11, 24, 10, 0)
    [reminder] = rows(workbook["pengingat"])
    assert reminder["sent_at"] == datetime(2026, 11, 24, 0, 30)
    assert workbook.sheetnames[-1] == "Keterangan"


TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", EVERYTHING),
        ("bulan", Period(date(2026, 11, 1), date(2026, 11, 30), whole_month=True)),
        ("2026-02", Period(date(2026, 2, 1), date(2026, 2, 28), whole_month=True)),
        ("2026-12", Period(date(2026, 12, 1), date(2026, 12, 31), whole_month=True)),
        ("1/11/2026..30/11/2026", Period(date(2026, 11, 1), date(2026, 11, 30))),
        ("01-11-2026 .. 5-11-2026", Period(date(2026, 11, 1), date(2026, 11, 5))),
        ("1/11/2026 sampai 5/11/2026", Period(date(2026, 11, 1), date(2026, 11, 5))),
        ("november", Period(date(2026, 11, 1), date(2026, 11, 30), whole_month=True)),
        ("Oktober", Period(date(2026, 10, 1), date(2026, 10, 31), whole_month=True)),
        ("desember", Period(date(2025, 12, 1), date(2025, 12, 31), whole_month=True)),  # the last one begun
        ("des 2026", Period(date(2026, 12, 1), date(2026, 12, 31), whole_month=True)),
    ],
)
def test_periods_dinsos_writes(text, expected):
    assert parse_period(text, TODAY) == expected


def test_a_period_is_counted_in_wib_days():
    november = parse_period("2026-11", TODAY)
    assert november.covers("2026-11-30T16:59:59Z", WIB) and not november.covers("2026-11-30T17:00:00Z", WIB)
    assert not november.covers("2026-10-31T16:59:59Z", WIB) and november.covers("2026-10-31T17:00:00Z", WIB)
    with pytest.raises(PeriodError):
        parse_period("2026-00", TODAY)


def test_each_sheet_prints_as_a_document_for_the_kepala_dinas():
    """A4 landscape fitted to the width, the header repeated, a title block, totals, technical columns last,
    wrapped text with room for it, one font."""
    long_result = "Remaja mampu menyablon kaos sendiri dan menjualnya di pasar desa. " * 4
    reports = [
        {
            "id": 10 + n, "number": n, "kecamatan_code": "32.09.15", "week": None, "version": 1,
            "submitted_by_id": 500 + n, "submitted_by": "Dewi", "created_at": "2026-11-23T02:00:00Z",
            "updated_at": "2026-11-23T02:00:00Z", "versions": [],
            "answers": {"nama_kegiatan": f"Kegiatan {n}", "jumlah_peserta": 10 * n, "jumlah_penerima": n,
                        "jumlah_dana": 500_000 * n, "hasil": long_result, "foto": ["AgAC-1", "AgAC-2"]},
        }
        for n in (1, 2, 3)
    ]  # fmt: skip
    kecamatan = [
        {"code": "32.09.15", "name": "Sumber", "status": "aktif", "chat_id": -4001, "chat_title": "KT Sumber"},
        {"code": "32.09.01", "name": "Waled", "status": "belum terdaftar", "chat_id": None, "chat_title": None},
        {"code": "32.09.02", "name": "Pasaleman", "status": "belum terdaftar", "chat_id": None, "chat_title": None},
    ]
    tables = {"kecamatan": kecamatan, "reports": reports, "announcements": []}
    period = parse_period("2026-11", TODAY)
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx(tables, tz=WIB, period=period, generated_at=NOW)))
    for ws in workbook.worksheets:
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1, ws.title
        assert ws.page_setup.fitToHeight == 0, ws.title
        assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}", ws.title
        assert ws.cell(1, 1).value == "Dinas Sosial Kabupaten Cirebon"
        assert ws.cell(3, 1).value == "Periode: bulan November 2026"
        assert ws.cell(4, 1).value == "Dibuat: Jumat, 27 November 2026 pukul 10.00 WIB"
        fonts = {cell.font.name for row in ws.iter_rows() for cell in row if cell.value is not None}
        assert fonts == {"Calibri"}, ws.title
    laporan = workbook["Laporan kegiatan"]
    assert laporan.cell(2, 1).value == "Laporan kegiatan Karang Taruna kecamatan"
    header = headers(laporan)
    technical = {"Kode kecamatan", "Diperbarui (WIB)", "ID Telegram pengirim", "ID file Telegram (foto dokumentasi)"}
    assert set(header[-len(technical) :]) == technical and header[:3] == ["No.", "Kecamatan", "Nama kegiatan"]
    # On paper: the title block and the columns a person reads, up to the totals; ids and codes stay on screen.
    printed_to = laporan.print_area.split(":")[-1].replace("$", "")
    printed = header[: openpyxl.utils.column_index_from_string(printed_to.rstrip("0123456789"))]
    assert {"Nama kegiatan", "Jumlah peserta", "Jumlah dana", "Hasil/uraian"} <= set(printed)
    assert not technical & set(printed) and printed_to.endswith(str(HEADER_ROW + 4))
    assert [r["No."] for r in rows(laporan)] == [1, 2, 3]
    total_row = HEADER_ROW + 4
    totals = {header[n - 1]: laporan.cell(total_row, n).value for n in range(1, len(header) + 1)}
    assert totals["No."] == "Jumlah (3 baris)"
    assert (totals["Jumlah peserta"], totals["Jumlah penerima manfaat"], totals["Jumlah dana"]) == (60, 6, 3_000_000)
    assert totals["Foto dokumentasi (jumlah)"] == 6 and totals["Versi"] is None
    hasil = laporan.cell(HEADER_ROW + 1, header.index("Hasil/uraian") + 1)
    assert hasil.alignment.wrap_text and laporan.column_dimensions[hasil.column_letter].width <= 42
    assert laporan.row_dimensions[HEADER_ROW + 1].height >= 13.5 * 6  # 272 characters in a 40-wide column
    status = workbook["Status kecamatan"]
    status_header = headers(status)
    assert status_header[0] == "Kecamatan" and status_header[-2:] == ["Kode kecamatan", "ID chat grup"]
    below = [(status.cell(n, 1).value, status.cell(n, 2).value) for n in range(HEADER_ROW + 6, HEADER_ROW + 8)]
    assert below == [("Kecamatan belum terdaftar", 2), ("Kecamatan aktif", 1)]
    status_totals = {status_header[n - 1]: status.cell(HEADER_ROW + 4, n).value for n in range(1, 8)}
    assert status_totals["Laporan kegiatan"] == 3


@pytest.mark.parametrize(
    ("code", "description"),
    [(502, "Bad Gateway"), (400, "Bad Request: chat not found"), (500, "Internal Server Error")],
)
async def test_ekspor_still_sends_the_workbook_when_the_chat_action_fails(world, code, description):
    world.fake.fail_next("sendChatAction", error_code=code, description=description, times=5)
    await world.say(ADMIN_1, ADMIN_1, "/ekspor")
    assert world.fake.messages(ADMIN_1)[-1]["document"]["file_name"].endswith(".xlsx")
    assert not any("kesalahan" in m.get("text", "") for m in world.fake.messages(ADMIN_1))
