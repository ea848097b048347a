"""The built-in forms as xform rows: registered at start-up, versioned by their bundled workbook, kept apart from
the uploaded forms, downloadable from /formulir (tests/test_builtin_editable.py: a new version sent back)."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from bot.xlsform import builtin
from bot.xlsform.read import read_xlsform
from storage import xlsforms
from tests.conftest import ADMIN_1, ANGGOTA
from tests.test_forms import answer, last, open_from_group, press
from tests.test_registration import approve_sumber
from tests.test_xlsform_bot import send_xlsx


def bumped(key: str, version: str) -> bytes:
    """The bundled workbook with another settings.version, as a new release of the bot would ship it."""
    book = load_workbook(BytesIO(builtin.workbook(key)))
    settings = book["settings"]
    column = [cell.value for cell in settings[1]].index("version") + 1
    settings.cell(row=2, column=column, value=version)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


async def test_formulir_offers_the_built_in_forms_as_templates_to_download(world):
    await world.say(ADMIN_1, ADMIN_1, "/formulir")
    assert "Formulir bawaan (/laporan, /evaluasi)" in last(world, ADMIN_1)["text"]
    await press(world, ADMIN_1, "Unduh Evaluasi mingguan")
    document = last(world, ADMIN_1)["document"]
    assert document["file_name"] == "evaluasi-v2.xlsx"
    assert world.fake.world.files[document["file_id"]].data == builtin.workbook("evaluasi")


async def test_a_new_bundled_version_is_registered_once_and_a_draft_finishes_on_its_own(world, monkeypatch):
    await approve_sumber(world)
    await open_from_group(world, ANGGOTA)
    await answer(world, ANGGOTA, "Kerja bakti")  # started on the bundled version
    first = await xlsforms.builtin_version(world.bot.db, "laporan")
    bundled_version = builtin.form("laporan").version
    newer_version = str(int(bundled_version) + 1)
    newer = bumped("laporan", newer_version)
    bundled, read = builtin.workbook, builtin.form
    monkeypatch.setattr(builtin, "workbook", lambda key: newer if key == "laporan" else bundled(key))
    monkeypatch.setattr(builtin, "form", lambda key: read_xlsform(newer) if key == "laporan" else read(key))
    await world.bot.restart()
    await world.bot.restart()  # a second start adds nothing
    laporan = next(f for f in await xlsforms.builtin_forms(world.bot.db) if f.form_id == "laporan")
    assert [v.version for v in await xlsforms.versions(world.bot.db, laporan.id)] == [bundled_version, newer_version]
    await world.say(ANGGOTA, ANGGOTA, "/laporan")
    await press(world, ANGGOTA, "Lanjutkan")
    assert "(2/12)" in last(world, ANGGOTA)["text"]
    await finish_laporan(world)
    await press(world, ANGGOTA, "Kirim")
    async with world.bot.db.read() as tx:
        made_on = await tx.fetchval("SELECT xform_version_id FROM report_version")
    assert first is not None and made_on == first.id
    await world.say(ANGGOTA, ANGGOTA, "/laporan")  # a new laporan starts on the new version
    draft = await xlsforms.active_draft(world.bot.db, ANGGOTA)
    assert draft is not None and draft.version_id == laporan.current_version_id != first.id


async def finish_laporan(world) -> None:
    """Every question after the first, as tests/test_forms.fill_laporan answers them (no photos)."""
    await press(world, ANGGOTA, "Pendidikan dan Pelatihan")
    await finish_from_date(world)
    await press(world, ANGGOTA, "Selesai")


async def finish_from_date(world) -> None:
    """From the date up to the photos."""
    await answer(world, ANGGOTA, "kemarin")
    await answer(world, ANGGOTA, "kaliwadas")
    await answer(world, ANGGOTA, "35 orang")
    await press(world, ANGGOTA, "Tidak ada")
    await answer(world, ANGGOTA, "12")
    await press(world, ANGGOTA, "Swadaya")
    await press(world, ANGGOTA, "Lewati")
    await answer(world, ANGGOTA, "Remaja mampu menyablon kaos sendiri")
    await press(world, ANGGOTA, "Lewati")


async def test_a_notice_s_link_does_not_throw_away_a_half_filled_laporan(world):
    from tests.test_xlsform_bot import follow_notice, upload_and_publish

    await approve_sumber(world)
    await open_from_group(world, ANGGOTA)
    await answer(world, ANGGOTA, "Kerja bakti")
    await upload_and_publish(world)
    await follow_notice(world, ANGGOTA)
    offer, hint = world.fake.messages(ANGGOTA)[-2:]
    assert "masih punya draf laporan kegiatan" in offer["text"] and "(1/12 pertanyaan terjawab)" in offer["text"]
    assert "Untuk mengisi pendataan keluarga sekarang" in hint["text"] and "/batal" in hint["text"]
    await press(world, ANGGOTA, "Lanjutkan")
    assert "(2/12)" in last(world, ANGGOTA)["text"]


async def test_kembali_goes_back_a_question_and_keeps_what_was_answered(world):
    await approve_sumber(world)
    await open_from_group(world, ANGGOTA)
    await answer(world, ANGGOTA, "Kerja bakti")
    await press(world, ANGGOTA, "Lingkungan Hidup")
    await press(world, ANGGOTA, "⬅️ Kembali")
    question = last(world, ANGGOTA)["text"]
    assert "(2/12)" in question and "Jawaban sekarang: Lingkungan Hidup" in question
    await press(world, ANGGOTA, "Tetap")
    assert "(3/12)" in last(world, ANGGOTA)["text"]
    await finish_from_date(world)
    for content in (b"foto-1", b"foto-2"):
        await world.bot.handled(world.fake.send_message(ANGGOTA, ANGGOTA, photo=world.fake.new_file(content, "photo")))
    assert "Foto 2/10 diterima" in last(world, ANGGOTA)["text"]
    await press(world, ANGGOTA, "⬅️ Kembali")  # the second photo's own step: Selesai keeps it
    await press(world, ANGGOTA, "Selesai")
    summary = last(world, ANGGOTA)["text"]
    assert "Foto dokumentasi: 2 foto" in summary and "Bidang: Lingkungan Hidup" in summary


async def test_an_upload_of_form_id_laporan_from_before_keeps_its_submissions_under_another_name(world):
    from tests.test_xlsform_bot import upload_and_publish

    await approve_sumber(world)
    await upload_and_publish(world)
    async with world.bot.db.transaction() as tx:  # as if it had been uploaded with form_id laporan before 0010
        await tx.execute("DELETE FROM xform_version WHERE xform_id IN (SELECT id FROM xform WHERE builtin = 1)")
        await tx.execute("DELETE FROM xform WHERE builtin = 1")
        await tx.execute("UPDATE xform SET form_id = 'laporan'")
    await world.bot.restart()
    [uploaded] = await xlsforms.all_forms(world.bot.db)
    assert uploaded.form_id == f"laporan_unggahan_{uploaded.id}" and uploaded.state == "closed"
    assert [v.version for v in await xlsforms.versions(world.bot.db, uploaded.id)] == ["1"]
    version = await xlsforms.builtin_version(world.bot.db, "laporan")
    assert version is not None and version.workbook == builtin.workbook("laporan")


async def test_coba_isi_does_not_throw_away_the_admin_s_own_half_filled_laporan(world):
    from tests.conftest import SUMBER_GROUP
    from tests.test_xlsform_bot import PENDATAAN

    await approve_sumber(world)
    world.fake.set_member_status(SUMBER_GROUP, ADMIN_1, "member")  # a Dinsos admin who is in the group too
    await open_from_group(world, ADMIN_1)
    await answer(world, ADMIN_1, "Kerja bakti")
    await send_xlsx(world, ADMIN_1, PENDATAAN)
    await press(world, ADMIN_1, "Coba isi")
    offer, hint = world.fake.messages(ADMIN_1)[-2:]
    assert "masih punya draf laporan kegiatan" in offer["text"]
    assert "Untuk mencoba pendataan keluarga" in hint["text"] and "/batal" in hint["text"]
    await press(world, ADMIN_1, "Lanjutkan")
    assert "(2/12)" in last(world, ADMIN_1)["text"]


async def test_a_notice_s_link_does_not_throw_away_a_half_filled_form_of_dinsos_either(world):
    from tests.test_xlsform_bot import KEGIATAN, follow_notice, upload_and_publish

    await approve_sumber(world)
    await upload_and_publish(world)
    await follow_notice(world, ANGGOTA)
    await answer(world, ANGGOTA, "Sutrisno")  # the first answer of Pendataan keluarga
    await upload_and_publish(world, KEGIATAN, "kegiatan.xlsx")
    title = read_xlsform(KEGIATAN).title
    await follow_notice(world, ANGGOTA, title)
    offer, hint = world.fake.messages(ANGGOTA)[-2:]
    assert "pendataan keluarga" in offer["text"].lower() and f"Untuk mengisi {title.lower()}" in hint["text"]
    draft = await xlsforms.active_draft(world.bot.db, ANGGOTA)
    assert draft is not None and '"nama": "Sutrisno"' in draft.state
