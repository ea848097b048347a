"""A version's form is kept as read (bot/xlsform/form_json.py): asked again without reading its workbook."""

from __future__ import annotations

import json

import pytest

from bot.xlsform import builtin, form_json
from bot.xlsform.read import read_xlsform
from handlers.xlsform_fill import payload_for
from storage import xlsforms
from tests.conftest import ADMIN_1, ANGGOTA
from tests.test_forms import last, press
from tests.test_registration import approve_sumber
from tests.test_xlsform_bot import KEGIATAN, PENDATAAN, PESERTA, fill_pendataan, send_xlsx
from tests.test_xlsform_export import DOKUMENTASI
from tests.test_xlsform_features import KELUARGA, KUNJUNGAN
from tests.test_xlsform_group import ABSENSI

SUMBER = "32.09.15"


@pytest.mark.parametrize(
    "workbook",
    [PENDATAAN, KEGIATAN, PESERTA, DOKUMENTASI, KUNJUNGAN, KELUARGA, ABSENSI, *map(builtin.workbook, builtin.KEYS)],
)
def test_a_form_comes_back_from_its_json_as_it_was_read(workbook: bytes):
    form = read_xlsform(workbook)
    assert form_json.loads(form_json.dumps(form)) == form


def test_json_written_by_another_reader_is_not_trusted():
    stored = json.loads(form_json.dumps(read_xlsform(PENDATAAN)))
    stored["reader"] = form_json.READER + 1
    assert form_json.loads(json.dumps(stored)) is None
    assert not form_json.current(json.dumps(stored)) and not form_json.current(None)


async def test_an_upload_keeps_its_form_as_read(world):
    await send_xlsx(world, ADMIN_1, PENDATAAN)
    [form] = await xlsforms.all_forms(world.bot.db)
    [version] = await xlsforms.versions(world.bot.db, form.id)
    assert form_json.loads(version.form_json) == read_xlsform(PENDATAAN)


async def publish_stored(world, *, workbook: bytes, stored: str | None) -> int:
    upload = await xlsforms.store_version(
        world.bot.db, form_id="pendataan", title="Pendataan keluarga", version="1", workbook=workbook, by=ADMIN_1,
        now=world.clock.now(), form_json=stored,
    )  # fmt: skip
    await xlsforms.publish(
        world.bot.db, version_id=upload.version.id, schedule="once", deadline="2026-11-30", kecamatan_codes=None,
        by=ADMIN_1, now=world.clock.now(), owed=[],
    )  # fmt: skip
    return upload.version.id


async def test_a_member_is_asked_from_the_stored_form_not_the_workbook(world):
    await approve_sumber(world)
    # A workbook nothing could read: the questions the member gets can only come from the stored form.
    stored = form_json.dumps(read_xlsform(PENDATAAN))
    version_id = await publish_stored(world, workbook=b"bukan xlsx", stored=stored)
    version = await xlsforms.get_version(world.bot.db, version_id)
    assert version is not None
    await world.bot.handled(world.fake.user_starts_bot(ANGGOTA, payload_for(version.xform_id, SUMBER)))
    await fill_pendataan(world, ANGGOTA)
    await press(world, ANGGOTA, "Kirim")
    assert "Pendataan keluarga #1 sudah terkirim" in last(world, ANGGOTA)["text"]


async def test_a_version_stored_before_forms_were_kept_gets_its_form_on_first_use(world):
    await approve_sumber(world)
    version_id = await publish_stored(world, workbook=PENDATAAN, stored=None)
    version = await xlsforms.get_version(world.bot.db, version_id)
    assert version is not None and version.form_json is None
    await world.bot.handled(world.fake.user_starts_bot(ANGGOTA, payload_for(version.xform_id, SUMBER)))
    assert "Nama kepala keluarga" in last(world, ANGGOTA)["text"]
    version = await xlsforms.get_version(world.bot.db, version_id)
    assert version is not None and form_json.loads(version.form_json) == read_xlsform(PENDATAAN)
