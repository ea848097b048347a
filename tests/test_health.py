"""`python -m bot check` (one line per check, failing on each broken piece) and /status_bot for Dinsos admins."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
from datetime import datetime, timedelta
from importlib import metadata
from pathlib import Path

import pytest

import storage.migrate
from bot import backup, health
from storage import outbox
from storage.db import Database
from storage.migrate import apply_pending, available
from tests.conftest import ADMIN_1, KETUA, STRANGER, SUMBER_GROUP
from tests.support import reports
from tests.support.child_env import child_env
from tests.support.harness import WIB

SUMBER = "32.09.15"


def env_for(fake, tmp_path: Path, **changes: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    defaults = {
        "BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.api_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        "BACKUP_DIR": str(tmp_path / "backups"),
        "ADMIN_IDS": "1001",
    }
    return child_env(**{**defaults, **changes})


async def check(env: dict[str, str], cwd: Path) -> tuple[int, list[str]]:
    """`python -m bot check` as a process (the fake server keeps answering meanwhile): exit status, lines."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "check", cwd=cwd, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    stdout, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode is not None
    assert stderr == b"", stderr.decode()
    return process.returncode, stdout.decode().splitlines()


async def migrated(path: Path) -> None:
    db = Database(path)
    await db.open()
    await apply_pending(db)
    await db.close()


async def test_check_passes_when_all_is_well(fake, tmp_path):
    await migrated(tmp_path / "bot.db")
    status, lines = await check(env_for(fake, tmp_path), tmp_path)
    assert status == 0, lines
    assert [line.split(":")[0] for line in lines] == [
        "OK  konfigurasi",
        "OK  wilayah",
        "OK  database",
        "OK  migrasi",
        "OK  token",
        "OK  cadangan",
    ]
    assert lines[1] == (
        "OK  wilayah: Kabupaten Cirebon (32.09), Jawa Barat: 40 kecamatan, 424 desa/kelurahan; "
        "Dinas Sosial Kabupaten Cirebon"
    )
    assert lines[4] == "OK  token: @dinsos_kt_bot"
    assert [r.method for r in fake.requests] == ["getMe"]


@pytest.mark.parametrize(
    ("changes", "variable"),
    [({"BOT_TOKEN": ""}, "BOT_TOKEN"), ({"BACKUP_KEEP": "banyak"}, "BACKUP_KEEP"), ({"TIMEZONE": "WIB"}, "TIMEZONE")],
)
async def test_check_fails_on_a_broken_setting_naming_the_variable(fake, tmp_path, changes, variable):
    status, lines = await check(env_for(fake, tmp_path, **changes), tmp_path)
    assert status != 0
    assert lines[0].startswith("GAGAL  konfigurasi: ") and variable in lines[0]
    # Every other line of the list is still printed, saying why it could not be checked.
    assert lines[1:] == [
        f"GAGAL  {name}: tidak diperiksa, karena konfigurasi gagal"
        for name in ("wilayah", "database", "migrasi", "token", "cadangan")
    ]


async def test_check_fails_on_a_corrupt_database(fake, tmp_path):
    await migrated(tmp_path / "bot.db")
    data = bytearray((tmp_path / "bot.db").read_bytes())
    data[4096 : 4 * 4096] = os.urandom(3 * 4096)  # the header survives, the tables do not
    (tmp_path / "bot.db").write_bytes(bytes(data))
    status, lines = await check(env_for(fake, tmp_path), tmp_path)
    assert status != 0
    assert lines[0] == "OK  konfigurasi" and lines[2].startswith("GAGAL  database: ")
    assert lines[3] == "GAGAL  migrasi: tidak diperiksa, karena database tidak dapat dibuka"
    assert lines[4:] == ["OK  token: @dinsos_kt_bot", f"OK  cadangan: belum ada cadangan di {tmp_path / 'backups'}"]


async def test_check_warns_when_no_dinsos_admin_is_configured(fake, tmp_path):
    await migrated(tmp_path / "bot.db")
    status, lines = await check(env_for(fake, tmp_path, ADMIN_IDS=""), tmp_path)
    assert status == 0
    assert lines[0] == (
        "PERINGATAN  konfigurasi: ADMIN_IDS kosong: tidak ada admin Dinsos yang dapat menyetujui grup atau "
        "mengirim pengumuman"
    )
    assert len(lines) == 6


async def test_check_in_a_folder_without_a_database_says_where_it_looked_and_creates_nothing(fake, tmp_path):
    env = env_for(fake, tmp_path, DATABASE_URL="sqlite:///data/karangtaruna.db", BACKUP_DIR="data/backups")
    status, lines = await check(env, tmp_path)
    assert status == 1
    assert lines[2].startswith(
        f"GAGAL  database: Database tidak ditemukan: {tmp_path / 'data' / 'karangtaruna.db'} (folder kerja: {tmp_path})"
    )
    assert lines[3] == "GAGAL  migrasi: tidak diperiksa, karena database tidak dapat dibuka"
    assert [line.split(":")[0] for line in lines[4:]] == ["OK  token", "OK  cadangan"]
    assert list(tmp_path.iterdir()) == []


async def test_check_fails_on_a_wrong_token(fake, tmp_path):
    await migrated(tmp_path / "bot.db")
    status, lines = await check(env_for(fake, tmp_path, BOT_TOKEN="123456:SALAH"), tmp_path)
    assert status != 0
    assert [line for line in lines if line.startswith("GAGAL")] == [
        f"GAGAL  token: ditolak oleh {fake.api_url} (401 Unauthorized): buat token baru di @BotFather"
    ]
    [call] = fake.requests
    assert (call.method, call.status) == ("getMe", 401)
    # The fake counts a wrong token as a misbehaving bot; here it is the very thing under test.
    assert fake.violations == ["getMe: wrong bot token in URL"]
    fake.violations.clear()


async def test_check_reports_pending_migrations_and_a_missing_database(fake, tmp_path, monkeypatch):
    env = env_for(fake, tmp_path)
    [_, _, missing, *_] = await health.run_checks(env, env_file=None)
    assert missing.line().startswith("GAGAL  database: Database tidak ditemukan: ")
    assert not (tmp_path / "bot.db").exists()  # check creates nothing
    shipped = available()
    with monkeypatch.context() as older_code:
        older_code.setattr(storage.migrate, "available", lambda: shipped[:2])
        await migrated(tmp_path / "bot.db")
    [_, _, database, migrations, *_] = await health.run_checks(env, env_file=None)
    assert database.ok and not migrations.ok
    expected = ", ".join(f"{m.version:04d}_{m.name}" for m in shipped[2:])
    assert migrations.line() == f"GAGAL  migrasi: belum diterapkan: {expected} (python -m bot migrate)"


async def test_check_says_when_the_bot_api_cannot_be_reached(fake, tmp_path):
    with socket.socket() as closed:  # a port nobody listens on once the socket is closed
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    env = env_for(fake, tmp_path, TELEGRAM_API_URL=f"http://127.0.0.1:{port}")
    results = await health.run_checks(env, env_file=None, token_timeout=2)
    [token] = [r for r in results if r.name == "token"]
    assert token.line().startswith(f"GAGAL  token: tidak dapat menghubungi http://127.0.0.1:{port}")


def test_check_is_in_the_command_line_help(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    for command in ("backup", "restore", "check"):
        assert command in result.stdout


# --- /status_bot --------------------------------------------------------------------------------------------


async def test_status_bot_shows_an_admin_the_figures(world):
    db = world.bot.db
    started = world.clock.now()  # Senin, 23 November 2026, 09.00 WIB
    async with db.transaction() as tx:  # a message due in two days: still pending when the status is asked
        await outbox.enqueue(
            tx, kind="nudge", ref_id=1, kecamatan_code=SUMBER, chat_id=SUMBER_GROUP, now=started + timedelta(days=2)
        )
    for user_id, left in ((KETUA, 0), (STRANGER, 48)):  # the second draft has expired when the status is asked
        await reports.open_draft(db, "laporan", user_id=user_id, user_name="Anggota", kecamatan_code=SUMBER,
                                 now=started - timedelta(hours=left))  # fmt: skip
    world.clock.set(datetime(2026, 11, 24, 2, 0, tzinfo=WIB))
    assert world.bot.app is not None and world.bot.app.job_queue is not None
    [job] = world.bot.app.job_queue.get_jobs_by_name(backup.BACKUP_JOB)
    await job.run(world.bot.app)
    world.clock.set(started + timedelta(days=1, hours=2, minutes=5))
    await world.say(ADMIN_1, ADMIN_1, "/status_bot")
    text = world.fake.messages(ADMIN_1)[-1]["text"]
    assert "Berjalan: 1 hari 2 jam 5 menit (sejak Senin, 23 November 2026 pukul 09.00 WIB)" in text
    assert f"Versi: {metadata.version('karangtaruna-bot')}" in text
    assert re.search(r"Ukuran data tersimpan: \d+(,\d)? (KB|MB)", text)
    assert "Pesan menunggu dikirim: 1" in text
    assert "Formulir sedang diisi: 1" in text
    assert "Cadangan terakhir: Selasa, 24 November 2026 pukul 02.00 WIB" in text
    assert "Pengingat berikutnya: Jumat, 27 November 2026 pukul 09.00 WIB" in text


async def test_status_bot_warns_when_there_is_no_recent_backup(world):
    await world.say(ADMIN_1, ADMIN_1, "/status_bot")
    assert "Cadangan terakhir: ⚠️ belum ada" in world.fake.messages(ADMIN_1)[-1]["text"]


async def test_status_bot_is_for_dinsos_admins_only(world):
    await world.say(STRANGER, STRANGER, "/status_bot")
    assert "hanya untuk admin" in world.fake.messages(STRANGER)[-1]["text"]
