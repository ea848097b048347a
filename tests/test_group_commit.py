"""Group commit (storage/db.py): writes waiting together share one commit, and none is lost or mixed up.

The last test is the one that matters to a person: the bot is killed (kill -9, no clean stop) while a dozen
people answer a laporan at once, between two group commits; every answer the bot had replied to is on disk, and
after the restart each person goes on from where the bot was, with no answer lost, doubled or shifted.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path

import pytest

from bot.wilayah import load_kecamatan
from bot.xlsform.session import State
from storage import wilayah
from storage.db import Database
from storage.migrate import apply_pending
from tests.support.fake_telegram import FakeTelegram
from tests.support.reports import given
from tests.test_graceful_stop import BotProcess, bot_env, bots, buttons, migrated_with_sumber  # noqa: F401 (bots: the fixture)

SUMBER_GROUP = -100_915
PEOPLE = [400_001 + i for i in range(12)]
INSERT = "INSERT INTO holiday (day, reason, added_by_id, added_at) VALUES (?, ?, 1, 'x')"


@pytest.fixture
async def db(tmp_path):
    db = Database(tmp_path / "bot.db")
    await db.open()
    await apply_pending(db)
    await wilayah.sync(db, load_kecamatan())
    yield db
    await db.close()


async def committed(db: Database) -> list[str]:
    """The COMMITs the connection runs from now on (sqlite3's trace of the statements it executes)."""
    seen: list[str] = []
    await db.conn.set_trace_callback(lambda sql: seen.append(sql) if sql.strip().upper() == "COMMIT" else None)
    return seen


def days_in(path: str) -> list[str]:
    """What another connection sees: only what was committed."""
    other = sqlite3.connect(path)
    try:
        return [day for (day,) in other.execute("SELECT day FROM holiday ORDER BY day")]
    finally:
        other.close()


async def test_fifty_writes_at_once_share_commits_and_each_is_on_disk_when_its_caller_goes_on(db):
    commits = await committed(db)
    days = [f"2027-01-{d:02d}" for d in range(1, 32)] + [f"2027-02-{d:02d}" for d in range(1, 20)]
    changed = await asyncio.gather(*(db.write_one(INSERT, (day, "Libur")) for day in days))
    assert changed == [1] * 50
    assert days_in(db.path) == days
    assert len(commits) < 10  # fifty callers, a handful of fsyncs


async def test_a_write_that_breaks_a_constraint_fails_alone_and_the_rest_of_its_group_is_kept(db):
    await db.write_one(INSERT, ("2027-01-01", "Tahun Baru"))
    results = await asyncio.gather(
        db.write_one(INSERT, ("2027-01-02", "Cuti bersama")),
        db.write_one(INSERT, ("2027-01-01", "Dua kali")),  # the day is the primary key
        db.write_all([(INSERT, ("2027-01-03", "A")), (INSERT, ("2027-01-01", "B")), (INSERT, ("2027-01-04", "C"))]),
        db.write_all([(INSERT, ("2027-01-05", "D")), (INSERT, ("2027-01-06", "E"))]),
        return_exceptions=True,
    )
    assert results[0] == 1 and results[3] == [1, 1]
    assert isinstance(results[1], sqlite3.IntegrityError) and isinstance(results[2], sqlite3.IntegrityError)
    # write_all is all or nothing: 01-03 went with the 01-01 that failed beside it.
    assert days_in(db.path) == ["2027-01-01", "2027-01-02", "2027-01-05", "2027-01-06"]


async def test_a_one_statement_write_inside_a_transaction_block_is_refused_instead_of_waiting_for_ever(db):
    async with db.transaction() as tx:
        await tx.execute(INSERT, ("2027-01-01", "Tahun Baru"))
        with pytest.raises(RuntimeError, match="nested database block"):
            await db.write_one(INSERT, ("2027-01-02", "Cuti bersama"))
    assert days_in(db.path) == ["2027-01-01"]


# --- kill -9 while people answer ---------------------------------------------------------------------------

# The laporan's first five answers, as each person gives them: typed, or the label of a button to press.
SCRIPT = [("text", "Kerja bakti"), ("press", "Lingkungan Hidup"), ("text", "kemarin"), ("text", "kaliwadas"),
          ("text", "35 orang")]  # fmt: skip
KEYS = ["nama_kegiatan", "bidang", "tanggal", "lokasi", "jumlah_peserta"]


def asked(fake: FakeTelegram, user_id: int) -> int:
    """The highest question number (n of "(n/12)") the bot has shown this person."""
    numbers = [int(m[1]) for msg in fake.messages(user_id) if (m := re.search(r"\((\d+)/12\)", msg.get("text", "")))]
    return max(numbers, default=0)


async def answer_until(fake: FakeTelegram, bot: BotProcess, user_id: int, last: int, sent: dict[int, int]) -> None:
    """Answer question after question as the bot asks them, up to question `last`; `sent` counts the answers."""
    await bot.until(fake, lambda: asked(fake, user_id) > 0, within=60)
    while (number := asked(fake, user_id)) <= last:
        action, value = SCRIPT[number - 1]
        if action == "text":
            fake.send_text(user_id, user_id, value)
        else:
            question = next(m for m in reversed(fake.messages(user_id)) if value in buttons(m))
            fake.press_button(user_id, question, buttons(question)[value])
        sent[user_id] = sent.get(user_id, 0) + 1
        await bot.until(fake, lambda n=number: asked(fake, user_id) > n, within=60)


def unfinished(db_path: Path) -> int:
    """Updates the bot has taken from Telegram (they are in its inbox) and not handled yet."""
    db = sqlite3.connect(db_path)
    try:
        return int(db.execute("SELECT COUNT(*) FROM update_inbox WHERE processed_at IS NULL").fetchone()[0])
    finally:
        db.close()


def drafts(db_path: Path) -> dict[int, State]:
    db = sqlite3.connect(db_path)
    try:
        rows = db.execute("SELECT user_id, state FROM xform_draft WHERE status = 'active'").fetchall()
    finally:
        db.close()
    return {user_id: State.from_json(state) for user_id, state in rows}


async def test_kill_9_between_group_commits_loses_no_answer_the_bot_replied_to(fake, tmp_path, bots):  # noqa: F811
    env = bot_env(fake, tmp_path)
    await migrated_with_sumber(bots, env, tmp_path, SUMBER_GROUP)
    for user_id in PEOPLE:
        fake.add_user(user_id, f"Warga {user_id}")
    fake.add_group(SUMBER_GROUP, "Karang Taruna Kec. Sumber", members=dict.fromkeys(PEOPLE, "member"))
    fake.world.chat(SUMBER_GROUP).bot_status = "member"

    first = bots(env, tmp_path)
    await first.start()
    await first.started_polling(fake)
    for user_id in PEOPLE:
        fake.user_starts_bot(user_id, "laporan-320915")
    sent: dict[int, int] = {}
    everyone = asyncio.gather(*(answer_until(fake, first, user_id, 5, sent) for user_id in PEOPLE))
    # Killed once a third of the 60 answers have their reply, while the others are still coming in.
    await first.until(fake, lambda: sum(asked(fake, u) - 1 for u in PEOPLE) >= 20, within=60)
    assert first.proc is not None
    first.proc.kill()
    await first.exited()
    await asyncio.gather(everyone, return_exceptions=True)  # each person's wait fails as the bot is gone

    replied = {user_id: max(0, asked(fake, user_id) - 1) for user_id in PEOPLE}  # answers the bot went on from
    assert 0 < sum(replied.values()) < 5 * len(PEOPLE)  # the kill came midway
    stored = drafts(tmp_path / "bot.db")
    for user_id, count in replied.items():
        answers = given(stored[user_id]) if user_id in stored else {}
        assert list(answers)[:count] == KEYS[:count], user_id  # every answer replied to is on disk

    # Back up: whatever was accepted but not finished is handled once, what Telegram kept it sends again. Once
    # both are done, each person has the question after the last answer they sent: none lost, none taken twice.
    second = bots(env, tmp_path)
    await second.start()
    expected = {user_id: sent.get(user_id, 0) + 1 for user_id in PEOPLE}
    await second.until(fake, lambda: {u: asked(fake, u) for u in PEOPLE} == expected)
    await asyncio.gather(*(answer_until(fake, second, user_id, 5, sent) for user_id in PEOPLE))
    assert await second.stop() == 0, second.log_tail()
    for user_id, state in drafts(tmp_path / "bot.db").items():
        answers = given(state)
        assert state.current == "ppks" and list(answers) == KEYS, user_id
        assert answers["nama_kegiatan"] == "Kerja bakti" and answers["lokasi"].startswith("32.09.15.")
        assert answers["jumlah_peserta"] == "35", user_id
    assert len(drafts(tmp_path / "bot.db")) == len(PEOPLE)
    assert unfinished(tmp_path / "bot.db") == 0
    # No answer was taken twice: one taken again would have met the next question, and been refused there.
    assert not [m["text"] for u in PEOPLE for m in fake.messages(u) if "⚠️" in m.get("text", "")]
