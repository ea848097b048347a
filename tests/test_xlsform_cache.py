"""The per-process cache of stored XLSForm versions (handlers/xlsform_fill.version_and_form): never stale."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from handlers import xlsform_fill
from storage import xlsforms
from storage.db import Database
from storage.migrate import apply_pending
from tests.support.xlsforms import q, xlsform

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def workbook(version: str, label: str) -> bytes:
    return xlsform([q("text", "nama", label)], settings={"form_title": "Uji", "form_id": "uji", "version": version})


async def database(path) -> Database:
    db = Database(path)
    await db.open()
    await apply_pending(db)
    return db


async def store(db: Database, version: str, label: str) -> int:
    upload = await xlsforms.store_version(
        db, form_id="uji", title="Uji", version=version, workbook=workbook(version, label), by=1001, now=NOW
    )
    return upload.version.id


def label_of(found) -> str:
    assert found is not None
    return found[1].question("nama").label


@pytest.fixture
async def db(tmp_path):
    db = await database(tmp_path / "a.db")
    yield db
    await db.close()


async def test_a_new_version_is_read_from_its_own_workbook_and_the_old_one_stays_itself(db):
    first = await store(db, "1", "Nama lama")
    assert label_of(await xlsform_fill.version_and_form(db, first)) == "Nama lama"
    second = await store(db, "2", "Nama baru")
    assert second != first
    assert label_of(await xlsform_fill.version_and_form(db, second)) == "Nama baru"
    assert label_of(await xlsform_fill.version_and_form(db, first)) == "Nama lama"
    assert await xlsform_fill.version_and_form(db, second + 1) is None


async def test_another_database_with_the_same_version_id_gets_its_own_form(db, tmp_path):
    here = await store(db, "1", "Nama di sini")
    assert label_of(await xlsform_fill.version_and_form(db, here)) == "Nama di sini"
    other = await database(tmp_path / "b.db")
    try:
        there = await store(other, "1", "Nama di sana")
        assert there == here
        assert label_of(await xlsform_fill.version_and_form(other, there)) == "Nama di sana"
    finally:
        await other.close()


async def test_warming_reads_the_published_forms_current_versions(db):
    version_id = await store(db, "1", "Nama")
    assert await xlsform_fill.warm(db) == 0  # stored, not yet published
    await xlsforms.publish(db, version_id=version_id, schedule="once", deadline=None, kecamatan_codes=None, by=1001,
                           now=NOW, owed=[])  # fmt: skip
    assert await xlsform_fill.warm(db) == 1
    assert version_id in xlsform_fill._versions[db]
