"""WILAYAH_KODE and DINAS_NAMA (issue 19): read, checked, shown by `check`, found by `wilayah cari`, and kept with
the database so that a changed setting never mixes two regions."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import storage.migrate
from bot import wilayah
from bot.__main__ import main
from bot.config import Config, ConfigError
from bot.startup import RegionRefused, claim_region, open_database
from storage import wilayah as stored_wilayah
from storage.db import Database
from storage.migrate import apply_pending, available
from tests.support.child_env import child_env

BASE = {"BOT_TOKEN": "123:abc"}


@pytest.fixture(autouse=True)
def _default_region_after():
    """`main()` runs in this process and makes the configured region the one in use: the next test gets Cirebon."""
    yield
    wilayah.use(wilayah.DEFAULT_CODE)


def test_the_default_region_is_kabupaten_cirebon():
    config = Config.from_env(BASE, env_file=None)
    assert config.wilayah_kode == "32.09" and config.dinas_nama is None
    assert config.region.name == "Kabupaten Cirebon"
    assert config.region.office == "Dinas Sosial Kabupaten Cirebon"


@pytest.mark.parametrize("written", ["32.73", "3273", " 32.73 "])
def test_a_region_by_its_code(written):
    config = Config.from_env({**BASE, "WILAYAH_KODE": written}, env_file=None)
    assert config.wilayah_kode == "32.73"
    assert config.region.office == "Dinas Sosial Kota Bandung"


def test_the_office_name_can_be_set():
    config = Config.from_env({**BASE, "WILAYAH_KODE": "94.04", "DINAS_NAMA": "Dinas Sosial  PPPA Mimika"}, None)
    assert config.dinas_nama == "Dinas Sosial PPPA Mimika"
    assert config.region.office == "Dinas Sosial PPPA Mimika" and config.region.name == "Kabupaten Mimika"


@pytest.mark.parametrize("written", ["99.99", "32", "32.09.15", "Bandung"])
def test_an_unknown_code_names_the_variable(written):
    with pytest.raises(ConfigError, match="WILAYAH_KODE") as error:
        Config.from_env({**BASE, "WILAYAH_KODE": written}, env_file=None)
    assert "python -m bot wilayah cari" in str(error.value)


def test_an_unknown_code_stops_the_bot_with_one_line(tmp_path):
    env = child_env(BOT_TOKEN="123:abc", WILAYAH_KODE="99.99")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "migrate"], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "WILAYAH_KODE" in result.stderr
    assert not list(tmp_path.iterdir())


def test_wilayah_cari_lists_kabupaten_and_kota_with_their_codes(capsys):
    assert main(["wilayah", "cari", "bandung"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "32.04  Kabupaten Bandung (Jawa Barat)",
        "32.17  Kabupaten Bandung Barat (Jawa Barat)",
        "32.73  Kota Bandung (Jawa Barat)",
    ]
    assert main(["wilayah", "cari", "kepulauan", "selayar"]) == 0
    assert capsys.readouterr().out.splitlines() == ["73.01  Kabupaten Kepulauan Selayar (Sulawesi Selatan)"]
    assert main(["wilayah", "cari", "atlantis"]) == 1
    assert "atlantis" in capsys.readouterr().out


def test_check_shows_the_region_and_its_counts(tmp_path):
    env = child_env(BOT_TOKEN="123:abc", WILAYAH_KODE="32.73", TELEGRAM_API_URL="http://127.0.0.1:9")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check"], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    lines = result.stdout.splitlines()
    assert lines[1] == (
        "OK  wilayah: Kota Bandung (32.73), Jawa Barat: 30 kecamatan, 151 kelurahan; Dinas Sosial Kota Bandung"
    )


def _config(tmp_path: Path, code: str) -> Config:
    return Config.from_env({**BASE, "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}", "WILAYAH_KODE": code}, None)


async def test_the_database_keeps_the_region_of_its_first_start(tmp_path):
    db, _ = await open_database(_config(tmp_path, "32.73"))
    try:
        async with db.read() as tx:
            assert await tx.fetchval("SELECT COUNT(*) FROM kecamatan") == 30
            assert await tx.fetchval("SELECT COUNT(*) FROM village WHERE kind = 'kelurahan'") == 151
    finally:
        await db.close()
    db, _ = await open_database(_config(tmp_path, "32.73"))  # the same region again: fine
    await db.close()
    with pytest.raises(RegionRefused) as refused:
        await open_database(_config(tmp_path, "32.09"))
    assert str(refused.value) == (
        "WILAYAH_KODE=32.09 (Kabupaten Cirebon) tidak cocok dengan database ini, yang melayani Kota Bandung (32.73). "
        "Kembalikan WILAYAH_KODE=32.73, atau pakai DATABASE_URL lain untuk wilayah baru."
    )
    db = Database(tmp_path / "bot.db")
    await db.open()
    try:
        async with db.read() as tx:  # nothing of Cirebon was written
            assert await tx.fetchval("SELECT COUNT(*) FROM kecamatan WHERE code LIKE '32.09.%'") == 0
    finally:
        await db.close()


def test_the_command_line_refuses_a_changed_region_in_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", "123:abc")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///bot.db")
    monkeypatch.setenv("WILAYAH_KODE", "94.04")
    assert main(["migrate"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("WILAYAH_KODE", "32.09")
    assert main(["migrate"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "WILAYAH_KODE=32.09" in error and "Kabupaten Mimika (94.04)" in error


async def test_a_database_made_before_the_setting_serves_kabupaten_cirebon(tmp_path, monkeypatch):
    db = Database(tmp_path / "bot.db")
    await db.open()
    try:
        before = [m for m in available() if m.version < 23]
        with monkeypatch.context() as older_code:
            older_code.setattr(storage.migrate, "available", lambda: before)
            await apply_pending(db)
        await stored_wilayah.sync(db, wilayah.load("32.09").kecamatan)  # what the older release did at start
        await apply_pending(db)
        with pytest.raises(RegionRefused):
            await claim_region(db, wilayah.load("32.73"))
        await claim_region(db, wilayah.load("32.09"))
    finally:
        await db.close()


def test_the_regions_in_use_do_not_leak_between_bots():
    """Each bot built in this process makes its own configuration's region the one in use."""
    from bot.app import build_application

    config = Config.from_env({**BASE, "WILAYAH_KODE": "32.73"}, env_file=None)
    build_application(config)
    assert wilayah.current().code == "32.73" and len(wilayah.load_kecamatan()) == 30
    build_application(Config.from_env(BASE, env_file=None))
    assert wilayah.current().code == "32.09" and len(wilayah.load_kecamatan()) == 40


def test_dinas_nama_is_the_office_in_every_sentence_that_names_it():
    from bot import texts
    from bot.app import build_application

    config = Config.from_env({**BASE, "WILAYAH_KODE": "32.73", "DINAS_NAMA": "Dinas Sosial P3A Kota Bandung"}, None)
    build_application(config)
    assert "<b>Bot Dinas Sosial P3A Kota Bandung</b>" in texts.help_intro("private")
    assert "di 30 kecamatan" in texts.help_intro("private")
    assert "Dinas Sosial P3A Kota Bandung" in texts.welcome_group()
    assert texts.error_apology().endswith("hubungi Dinas Sosial P3A Kota Bandung.")
    assert "tidak ditemukan di Kota Bandung" in texts.daftar_unknown("Atlantis", [])
