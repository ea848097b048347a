"""`python -m bot` as a newcomer runs it: migrations first, answers over HTTP, stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import sys

from tests.conftest import STRANGER


async def test_the_bot_process_answers_and_stops_cleanly_on_sigterm(fake, tmp_path):
    fake.add_user(STRANGER, "Orang")
    env = {
        "PATH": "/usr/bin:/bin",
        "BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.api_url,
        "DATABASE_URL": "sqlite:///data/bot.db",
        "LOG_LEVEL": "WARNING",
    }
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
