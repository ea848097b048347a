"""A new Kepmendagri edition renumbers a kecamatan and its villages (issue 19): at the next start the database
takes the new codes, once, and keeps every registration, report, plan and draft."""

from __future__ import annotations

import dataclasses
import importlib.util
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlparse

import pytest

from bot import region_recode, wilayah
from storage import forms, program_kerja, registrations, xlsforms
from storage import region_recode as stored_recode
from storage import wilayah as stored_wilayah
from storage.db import Database
from storage.migrate import apply_pending
from tests.conftest import ADMIN_1, ADMIN_2, ANGGOTA, KETUA, SUMBER_GROUP, World, populate
from tests.support.harness import BotHarness, make_config
from tests.support.plans import plan_with, program
from tests.support.reports import open_draft, stored_report
from tests.test_forms import buttons, last
from tests.test_graceful_stop import seed_group

# Sumber and its village Kaliwadas as an imagined older edition numbered them; today's data has 32.09.15(.1006).
OLD_KEC, NEW_KEC = "32.09.98", "32.09.15"
OLD_VILLAGE, NEW_VILLAGE = "32.09.98.1006", "32.09.15.1006"
OLD_BABAKAN = "32.09.98.1003"  # no line of its own: it follows its kecamatan
NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parent.parent
RENAMES = f"edisi\tkode_lama\tkode_baru\n2026\t{OLD_KEC}\t{NEW_KEC}\n2026\t{OLD_VILLAGE}\t{NEW_VILLAGE}\n"


def answers(village: str) -> dict:
    return {
        "nama_kegiatan": "Pelatihan sablon remaja", "bidang": "b01", "tanggal": "2026-03-01",
        "lokasi": {"code": village, "name": "Kaliwadas"}, "jumlah_peserta": 35, "ppks": [],
        "jumlah_penerima": 12, "sumber_dana": "apbdes", "jumlah_dana": None, "hasil": "Berjalan dengan baik",
        "foto": ["f1"], "program": "luar",
    }  # fmt: skip


async def old_edition_database(path: Path) -> None:
    """Sumber registered, a laporan, a plan and an open draft, all under the old edition's codes."""
    db = Database(path)
    await db.open()
    try:
        await apply_pending(db)
        await stored_wilayah.claim_region(db, "32.09", "Kabupaten Cirebon")
        villages = [SimpleNamespace(code=OLD_VILLAGE, name="Kaliwadas", kind="desa"),
                    SimpleNamespace(code=OLD_BABAKAN, name="Babakan", kind="desa")]  # fmt: skip
        await stored_wilayah.sync(db, [SimpleNamespace(code=OLD_KEC, name="Sumber", villages=villages)])
        await seed_group(db, OLD_KEC, SUMBER_GROUP, NOW)
        await stored_report(db, "laporan", user_id=ANGGOTA, user_name="Dewi", kecamatan_code=OLD_KEC, now=NOW,
                            answers=answers(OLD_VILLAGE))  # fmt: skip
        planned = dataclasses.replace(program(NEW_KEC, lokasi="Kaliwadas"), lokasi=OLD_VILLAGE)
        assert planned.lokasi == OLD_VILLAGE
        await plan_with(db, OLD_KEC, 2026, [planned], now=NOW, user_id=KETUA)
        lokasi = {"code": OLD_VILLAGE, "name": "Kaliwadas"}
        await open_draft(db, "laporan", user_id=KETUA, user_name="Asep", kecamatan_code=OLD_KEC, now=NOW,
                         answers={"nama_kegiatan": "Bank sampah", "lokasi": lokasi})  # fmt: skip
    finally:
        await db.close()


@pytest.fixture
async def started(fake, clock, tmp_path):
    """The old edition's database; the bot started with a renames file naming Sumber's new codes."""
    populate(fake)
    await old_edition_database(tmp_path / "bot.db")
    renames = tmp_path / "perubahan_kode.tsv"
    renames.write_text(RENAMES, encoding="utf-8")
    config = make_config(fake.api_url, fake.token, tmp_path / "bot.db", {ADMIN_1, ADMIN_2}, wilayah_perubahan=renames)
    joined = fake.add_bot_to_group(SUMBER_GROUP, KETUA)  # the group the seeded registration is about
    harness = BotHarness(config, clock)
    await harness.start()
    world = World(fake, harness, clock)
    await world.all_handled(joined)
    try:
        yield world, harness
    finally:
        await harness.stop()


async def state(db: Database) -> dict:
    """What the people of Sumber have in the database."""
    [registration] = await registrations.live_for_chat(db, SUMBER_GROUP)
    [report] = await forms.all_reports(db, "laporan")
    [plan] = await program_kerja.versions(db, registration.kecamatan_code, 2026)
    draft = await xlsforms.active_draft(db, KETUA)
    return {
        "registration": registration, "report": report, "plan": plan,
        "programs": await program_kerja.programs(db, plan.id), "counts": await stored_wilayah.counts(db),
        "editions": await stored_recode.applied_editions(db), "draft": draft,
    }  # fmt: skip


async def test_the_group_report_and_plan_take_the_new_codes_and_still_work(started):
    world, _ = started
    db = world.bot.db
    now = await state(db)
    assert now["registration"].kecamatan_code == NEW_KEC and now["registration"].status == "active"
    assert now["report"].kecamatan_code == NEW_KEC and now["report"].answers == answers(NEW_VILLAGE)
    assert [p.lokasi for p in now["programs"]] == [NEW_VILLAGE]
    assert now["programs"][0].nama == "Pelatihan sablon remaja"
    # Nothing of the old edition is left: the region's own 40 kecamatan and 424 villages.
    assert now["counts"] == (40, 424) and now["editions"] == {"2026"}
    draft = now["draft"]
    assert draft is not None and draft.kecamatan_code == NEW_KEC
    assert f'"{NEW_VILLAGE}"' in draft.state and OLD_KEC not in draft.state and "Bank sampah" in draft.state

    # The group still works: /laporan opens the form for Sumber, and the village question offers Kaliwadas.
    await world.say(ANGGOTA, SUMBER_GROUP, "/laporan")
    url = buttons(last(world, SUMBER_GROUP))["Isi lewat chat pribadi"]
    start = parse_qs(urlparse(url).query)["start"][0]
    assert start == "laporan-" + NEW_KEC.replace(".", "")
    await world.bot.handled(world.fake.user_starts_bot(ANGGOTA, start))
    assert "Sumber" in "\n".join(m.get("text", "") for m in world.fake.messages(ANGGOTA)[-3:])


async def test_a_second_start_changes_nothing(started, fake, clock):
    world, harness = started
    before = await state(world.bot.db)
    await harness.stop()
    await harness.start()
    assert await state(world.bot.db) == before


def test_the_packaged_renames_file_reads(tmp_path):
    assert region_recode.read_editions() == []  # Kepmendagri 300.2.2-2138/2025 is the packaged edition
    bad = tmp_path / "bad.tsv"
    bad.write_text("edisi\tkode_lama\tkode_baru\n2026\t32.09.15\t32.09.15.1006\n", encoding="utf-8")
    with pytest.raises(region_recode.BadRenames, match=r"bad\.tsv:2"):
        region_recode.read_editions(bad)


async def test_renames_of_another_region_or_unused_codes_are_harmless(tmp_path):
    db = Database(tmp_path / "bot.db")
    await db.open()
    try:
        await apply_pending(db)
        await stored_wilayah.sync(db, wilayah.load("32.09").kecamatan)
        editions = [("2026", [("32.73.01", "32.73.02"), ("32.09.99", "32.09.01")])]
        assert await stored_recode.apply_editions(db, "32.09", editions, NOW) == ["2026"]
        assert await stored_recode.apply_editions(db, "32.09", editions, NOW) == []
        assert await stored_wilayah.counts(db) == (40, 424)
    finally:
        await db.close()


def test_the_build_script_derives_an_editions_renames_by_name_under_the_same_parent(tmp_path):
    spec = importlib.util.spec_from_file_location("build_wilayah_data", ROOT / "scripts" / "build_wilayah_data.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    old = [("32.09", "Kabupaten Cirebon"), (OLD_KEC, "Sumber"), (OLD_BABAKAN, "Babakan"), (OLD_VILLAGE, "Kaliwadas"),
           ("32.09.99", "Hilang"), ("32.09.01", "Waled"), ("32.09.01.2001", "Waled Kota")]  # fmt: skip
    new = [("32.09", "Kabupaten Cirebon"), ("32.09.01", "Waled"), ("32.09.01.2001", "Waled Kota"),
           (NEW_KEC, "Sumber"), (NEW_VILLAGE, "KALIWADAS"), ("32.09.15.1007", "Babakan")]  # fmt: skip
    renames, unmatched = script.derive_renames(old, new)
    assert renames == [(OLD_KEC, NEW_KEC), (OLD_BABAKAN, "32.09.15.1007"), (OLD_VILLAGE, NEW_VILLAGE)]
    assert unmatched == ["32.09.99"]
    script.append_renames(tmp_path, "2026", renames)
    assert region_recode.read_editions(tmp_path / "perubahan_kode.tsv") == [("2026", renames)]
