"""`python -m bot` as a newcomer runs it: migrations first, answers over HTTP, stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import sys

import pytest

from bot.__main__ import main
from tests.conftest import STRANGER
from tests.support.child_env import child_env


async def test_the_bot_process_answers_and_stops_cleanly_on_sigterm(fake, tmp_path):
    fake.add_user(STRANGER, "Orang")
    env = child_env(
        BOT_TOKEN=fake.token,
        TELEGRAM_API_URL=fake.api_url,
        DATABASE_URL="sqlite:///data/bot.db",
        LOG_LEVEL="INFO",  # the operator's lines at start and stop are read below
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=tmp_path, env=env, stderr=asyncio.subprocess.PIPE
    )
    try:
        await fake.wait_for(lambda: fake.polls_waiting > 0, timeout=20)  # a long poll is open
        fake.send_text(STRANGER, STRANGER, "/bantuan")
        reply = await fake.wait_for_message(STRANGER, timeout=20)
        assert "Dinas Sosial" in reply["text"]
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 20)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, stderr.decode()
    assert (tmp_path / "data" / "bot.db").is_file()  # the relative DATABASE_URL folder was created
    log = stderr.decode()
    for line in (
        "Migrasi diterapkan: 0001_foundation",
        "Bot berjalan (long polling) dengan Telegram di",
        "Bot berhenti;",
    ):
        assert line in log, log
    for english in ("Applied migration", "Starting the bot"):  # PTB's own "Application started" stays a library line
        assert english not in log, log


ENGLISH = ("usage:", "invalid choice", "choose from", "the following arguments", "expected one", "unrecognized",
           "argument ", "show this help", "positional arguments", "options:")  # fmt: skip


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["nope"], "kesalahan: argumen PERINTAH: pilihan tidak dikenal: 'nope' (pilih salah satu: 'run', 'migrate'"),
        (["export", "--format", "pdf"], "argumen --format: pilihan tidak dikenal: 'pdf' (pilih salah satu: 'json'"),
        (["restore"], "kesalahan: argumen berikut wajib diisi: FILE"),
        (["export", "--out"], "kesalahan: argumen --out: perlu satu nilai"),
        (["--bogus"], "kesalahan: argumen tidak dikenal: --bogus"),
    ],
)
def test_argparse_mistakes_are_told_in_indonesian(argv, expected, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    error = capsys.readouterr().err
    assert exit_.value.code == 2 and error.startswith("Pemakaian: python -m bot") and expected in error, error
    assert not [word for word in ENGLISH if word in error.lower()]


@pytest.mark.parametrize("argv", [["-h"], ["export", "--help"], ["restore", "-h"]])
def test_the_help_is_indonesian(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    shown = capsys.readouterr().out
    assert exit_.value.code == 0 and "tampilkan bantuan ini lalu keluar" in shown
    assert not [word for word in ENGLISH if word in shown.lower()]


def test_migrate_registers_the_built_in_forms_as_read_so_the_bot_starts_without_reading_them(tmp_path, monkeypatch):
    from bot.xlsform import builtin, form_json
    from storage import xlsforms
    from storage.db import Database

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", "123:abc")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///bot.db")
    assert main(["migrate"]) == 0

    async def registered() -> list:
        db = Database(tmp_path / "bot.db")
        await db.open()
        try:
            return [await xlsforms.builtin_version(db, key) for key in builtin.KEYS]
        finally:
            await db.close()

    for key, version in zip(builtin.KEYS, asyncio.run(registered()), strict=True):
        assert version is not None and version.workbook == builtin.workbook(key)
        assert form_json.loads(version.form_json) == builtin.form(key)
