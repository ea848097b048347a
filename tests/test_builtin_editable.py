"""Dinsos edits its own /laporan and /evaluasi: /formulir → Unduh gives the workbook in use, and the edited file
sent back with a higher version is the next version of the built-in form. The recap, review, export and program
kerja keep reading what they read; an upload that would take that away is refused, naming each question."""

from __future__ import annotations

import io
from io import BytesIO

import openpyxl
from openpyxl import load_workbook

from bot.xlsform import builtin
from storage import forms, xlsforms
from tests.conftest import ADMIN_1, ANGGOTA, SUMBER_GROUP
from tests.support.xlsforms import q, xlsform
from tests.test_builtin_forms import finish_from_date
from tests.test_forms import answer, buttons, last, open_from_group, press, settled
from tests.test_registration import approve_sumber
from tests.test_xlsform_bot import follow_notice, send_xlsx

SURVEY_LABEL = "label::Indonesian (id)"


def edited(key: str, version: str, *, add: list[dict] | None = None, drop: tuple[str, ...] = (),
           retype: dict[str, str] | None = None, after: str = "jumlah_penerima") -> bytes:  # fmt: skip
    """The bundled workbook as Dinsos would edit it in Excel: rows added after `after`, rows dropped, types
    changed, settings.version raised."""
    book = load_workbook(BytesIO(builtin.workbook(key)))
    survey = book["survey"]
    header = [cell.value for cell in survey[1]]
    rows = [[cell.value for cell in row] for row in survey.iter_rows(min_row=2)]
    name_at, type_at = header.index("name"), header.index("type")
    kept = []
    for row in rows:
        if row[name_at] in drop:
            continue
        if retype and row[name_at] in retype:
            row[type_at] = retype[row[name_at]]
        kept.append(row)
        if row[name_at] == after:
            kept += [[extra.get(column) for column in header] for extra in add or []]
    survey.delete_rows(2, survey.max_row)
    for row in kept:
        survey.append(row)
    settings = book["settings"]
    settings.cell(row=2, column=[c.value for c in settings[1]].index("version") + 1, value=version)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


RELAWAN = {
    "type": "integer", "name": "jumlah_relawan", SURVEY_LABEL: "Berapa relawan Karang Taruna yang terlibat?",
    "hint::Indonesian (id)": "Contoh: 8 orang", "required": "yes", "constraint": ". >= 0 and . <= 500",
    "constraint_message::Indonesian (id)": "Jumlah relawan 0 sampai 500.", "label_ringkas": "Jumlah relawan",
}  # fmt: skip


async def test_dinsos_adds_a_question_to_the_laporan_and_groups_answer_it(world):
    await approve_sumber(world)
    await world.say(ADMIN_1, ADMIN_1, "/formulir")
    await press(world, ADMIN_1, "Unduh Laporan kegiatan")
    document = last(world, ADMIN_1)["document"]
    assert document["file_name"] == "laporan-v3.xlsx"
    assert world.fake.world.files[document["file_id"]].data == builtin.workbook("laporan")

    reply = await send_xlsx(world, ADMIN_1, edited("laporan", "4", add=[RELAWAN]), name="laporan.xlsx")
    assert "versi 4 sekarang dipakai untuk /laporan (14 pertanyaan)" in reply["text"]
    assert "Pertanyaan baru: Jumlah relawan." in reply["text"]

    await open_from_group(world, ANGGOTA)
    assert "(1/13)" in last(world, ANGGOTA)["text"]  # the program kerja question is not asked here
    await answer(world, ANGGOTA, "Kerja bakti")
    await press(world, ANGGOTA, "Lingkungan Hidup")
    await answer(world, ANGGOTA, "kemarin")
    await answer(world, ANGGOTA, "kaliwadas")
    await answer(world, ANGGOTA, "35 orang")
    await press(world, ANGGOTA, "Tidak ada")
    question = await answer(world, ANGGOTA, "12")
    assert "Berapa relawan Karang Taruna yang terlibat?" in question and "Contoh: 8 orang" in question
    assert "(8/13)" in question
    assert "Jumlah relawan 0 sampai 500." in await answer(world, ANGGOTA, "900")
    await answer(world, ANGGOTA, "8 orang")
    await press(world, ANGGOTA, "Swadaya")
    await press(world, ANGGOTA, "Lewati")
    await answer(world, ANGGOTA, "Selokan desa bersih kembali")
    await press(world, ANGGOTA, "Lewati")
    await press(world, ANGGOTA, "Selesai")
    assert "Jumlah relawan: 8" in last(world, ANGGOTA)["text"]
    await press(world, ANGGOTA, "Kirim")
    await settled(world)

    [report] = await forms.recent(world.bot.db, kecamatan_codes=["32.09.15"], user_id=ANGGOTA)
    assert report.answers["jumlah_relawan"] == 8 and report.answers["jumlah_peserta"] == 35
    copy = next(m for m in world.fake.messages(ADMIN_1) if "Kerja bakti" in m.get("text", ""))
    assert "Jumlah relawan: 8" in copy["text"]
    assert any("Kerja bakti" in m.get("text", "") for m in world.fake.messages(SUMBER_GROUP))

    await world.say(ADMIN_1, ADMIN_1, "/ekspor")
    exported = openpyxl.load_workbook(
        io.BytesIO(world.fake.world.files[last(world, ADMIN_1)["document"]["file_id"]].data)
    )
    sheet = exported["Laporan kegiatan"]
    headers = [c.value for row in sheet.iter_rows(max_row=6) for c in row if c.value]
    assert "Jumlah relawan" in headers


async def test_a_version_that_drops_or_retypes_what_the_bot_reads_is_refused_naming_each(world):
    before = await xlsforms.builtin_version(world.bot.db, "laporan")
    broken = edited("laporan", "4", drop=("hasil",), retype={"jumlah_peserta": "text"})
    reply = await send_xlsx(world, ADMIN_1, broken, name="laporan.xlsx")
    assert "tidak dipakai" in reply["text"]
    assert "Pertanyaan hasil (text) dihapus" in reply["text"]
    assert "Pertanyaan jumlah_peserta harus bertipe integer" in reply["text"] and "di file ini text" in reply["text"]
    assert await xlsforms.builtin_version(world.bot.db, "laporan") == before

    geo = {"type": "geopoint", "name": "titik", SURVEY_LABEL: "Di mana kegiatannya?"}
    reply = await send_xlsx(world, ADMIN_1, edited("laporan", "4", add=[geo]), name="laporan.xlsx")
    assert "(titik): tipe geopoint tidak bisa dipakai di formulir bawaan" in reply["text"]

    reply = await send_xlsx(world, ADMIN_1, edited("laporan", "3"), name="laporan.xlsx")
    assert "tidak lebih baru dari versi yang dipakai sekarang (3)" in reply["text"]
    assert await xlsforms.builtin_version(world.bot.db, "laporan") == before
    assert await xlsforms.all_forms(world.bot.db) == []  # never stored as an uploaded form either


async def test_only_a_dinsos_admin_can_send_a_new_version(world):
    await approve_sumber(world)
    before = await xlsforms.builtin_version(world.bot.db, "evaluasi")
    await world.bot.handled(world.fake.user_starts_bot(ANGGOTA))
    await send_xlsx(world, ANGGOTA, edited("evaluasi", "5", after="kondisi"), name="evaluasi.xlsx")
    assert await xlsforms.builtin_version(world.bot.db, "evaluasi") == before


async def test_the_new_version_outlives_a_restart_and_a_draft_finishes_on_its_own(world):
    await approve_sumber(world)
    await open_from_group(world, ANGGOTA)
    await answer(world, ANGGOTA, "Kerja bakti")  # started on the bundled version
    started_on = await xlsforms.builtin_version(world.bot.db, "laporan")
    await send_xlsx(world, ADMIN_1, edited("laporan", "4", add=[RELAWAN]), name="laporan.xlsx")
    await world.bot.restart()  # the bundled workbook does not take the form back
    current = await xlsforms.builtin_version(world.bot.db, "laporan")
    assert current is not None and current.version == "4" and current.uploaded_by_id == ADMIN_1

    await world.say(ANGGOTA, ANGGOTA, "/laporan")
    await press(world, ANGGOTA, "Lanjutkan")
    assert "(2/12)" in last(world, ANGGOTA)["text"]  # the draft keeps the questions it started with
    await press(world, ANGGOTA, "Pendidikan dan Pelatihan")
    await finish_from_date(world)
    await press(world, ANGGOTA, "Selesai")
    assert "Jumlah relawan" not in last(world, ANGGOTA)["text"]
    await press(world, ANGGOTA, "Kirim")
    async with world.bot.db.read() as tx:
        made_on = await tx.fetchval("SELECT xform_version_id FROM report_version")
    assert started_on is not None and made_on == started_on.id

    await world.say(ANGGOTA, ANGGOTA, "/laporan")  # a new laporan asks the new version's questions
    assert "(1/13)" in last(world, ANGGOTA)["text"]
    assert "Lanjutkan" not in buttons(last(world, ANGGOTA))


DATA_LANSIA = xlsform(
    survey=[
        q("hidden", "kecamatan"),
        q("select_one_from_file wilayah_desa.csv", "desa", "Di desa mana lansia ini tinggal?",
          choice_filter="kec = ${kecamatan}", required="yes", label_ringkas="Desa"),
        q("integer", "umur", "Berapa umurnya?", required="yes", label_ringkas="Umur"),
    ],
    settings={"form_title": "Data lansia", "form_id": "data_lansia", "version": "1"},
)  # fmt: skip


async def test_any_form_may_ask_for_a_village_of_the_region_and_name_its_answers_shortly(world):
    """The look of the built-in forms is columns any form may use: wilayah_desa.csv needs no attachment."""
    await approve_sumber(world)
    reply = await send_xlsx(world, ADMIN_1, DATA_LANSIA, name="data_lansia.xlsx")
    assert "Data lansia" in reply["text"] and "belum" not in reply["text"]  # no file missing
    await press(world, ADMIN_1, "Terbitkan")
    await press(world, ADMIN_1, "Sekali (batas 7 hari)")
    await press(world, ADMIN_1, "Semua kecamatan aktif")
    await follow_notice(world, ANGGOTA, "Data lansia")
    offered = set(buttons(last(world, ANGGOTA)))
    assert {"Kaliwadas", "Sumber"} <= offered and "Waled Kota" not in offered and "Tingkat kecamatan" not in offered
    await press(world, ANGGOTA, "Kaliwadas")
    await answer(world, ANGGOTA, "72")
    summary = last(world, ANGGOTA)["text"]
    assert "Desa: Kaliwadas" in summary and "Umur: 72" in summary
