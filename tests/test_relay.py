"""Relays between groups (or people) and Dinsos go through the outbox: a 502 or a 429 delays them, never loses or
doubles them, and `& < >` reach the other side exactly as typed."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from handlers.ann_delivery import AnnouncementKind
from tests.conftest import ADMIN_1, ANGGOTA, World
from tests.support.factories import active_groups, pengurus_id
from tests.test_announcements import compose, group_copies, kirim

TRICKY = "Siap <b>hadir</b> & bawa > 5 orang"
ANSWER = "Terima kasih <i>semua</i> & sampai jumpa > Senin"


def fail_once_each(world: World, chat_id: int, first: str, second: str) -> None:
    """A 502 on the first leg, a 429 on the second (header by sendMessage, copy by copyMessage)."""
    world.fake.fail_next(first, error_code=502, description="Bad Gateway", chat_id=chat_id)
    world.fake.fail_next(
        second, error_code=429, description="Too Many Requests: retry after 1", retry_after=1, chat_id=chat_id
    )


async def past_backoff(world: World) -> None:
    """Move past the outbox's backoff after a 502 and let it send what it owes."""
    for _ in range(3):
        world.clock.advance(timedelta(minutes=1))
        assert world.bot.app is not None and world.bot.app.bot_data.sender is not None
        world.bot.app.bot_data.sender.wake()
        await world.sent()


def statuses(world: World, chat_id: int, method: str) -> list[int]:
    return [r.status for r in world.fake.sent_to(chat_id) if r.method == method]


async def test_a_group_reply_and_the_dinsos_answer_survive_a_502_and_a_429_and_arrive_once_as_typed(world):
    [(_, group)] = await active_groups(world, 1, admin_id=ADMIN_1)
    await kirim(world, await compose(world))
    [copy] = group_copies(world, group)
    fail_once_each(world, ADMIN_1, "sendMessage", "copyMessage")
    member = await world.say(pengurus_id(0), group, TRICKY, reply_to_message_id=copy["message_id"])
    assert world.fake.messages(group)[-1]["text"].startswith("Terima kasih, balasan Anda sudah diteruskan")
    await past_backoff(world)
    headers = [m for m in world.fake.messages(ADMIN_1) if "Balasan dari Kecamatan" in m.get("text", "")]
    relayed = [m for m in world.fake.messages(ADMIN_1) if m.get("text") == TRICKY]
    assert len(headers) == 1 and len(relayed) == 1
    assert relayed[0]["reply_to_message"]["message_id"] == headers[0]["message_id"]  # the copy follows its header
    assert statuses(world, ADMIN_1, "copyMessage") == [429, 200]

    fail_once_each(world, group, "copyMessage", "sendMessage")
    await world.say(ADMIN_1, ADMIN_1, ANSWER, reply_to_message_id=relayed[0]["message_id"])
    assert world.fake.messages(ADMIN_1)[-1]["text"] == "Jawaban terkirim."
    await past_backoff(world)
    heads = [m for m in world.fake.messages(group) if m.get("text") == "💬 Dinas Sosial menjawab:"]
    answers = [m for m in world.fake.messages(group) if m.get("text") == ANSWER]
    assert len(heads) == 1 and len(answers) == 1
    assert heads[0]["reply_to_message"]["message_id"] == member["message"]["message_id"]
    assert statuses(world, group, "copyMessage")[-2:] == [502, 200]

    # The group may answer the answer, and that reaches Dinsos too.
    await world.say(pengurus_id(0), group, "Siap & terima kasih", reply_to_message_id=answers[0]["message_id"])
    assert world.fake.messages(ADMIN_1)[-1]["text"] == "Siap & terima kasih"
    assert world.fake.violations == []


async def test_a_copy_recorded_sent_just_before_a_stop_still_relays_the_groups_reply(world, monkeypatch):
    [(_, group)] = await active_groups(world, 1, admin_id=ADMIN_1)
    control = await compose(world)
    with monkeypatch.context() as m:
        # The process stops right after the copy was recorded sent: nothing that follows "sent" runs.
        m.setattr(AnnouncementKind, "delivered", lambda self, row, message: asyncio.sleep(0))
        await kirim(world, control)
        await world.bot.stop()
    await world.bot.start()
    [copy] = group_copies(world, group)
    await world.say(pengurus_id(0), group, TRICKY, reply_to_message_id=copy["message_id"])
    assert world.fake.messages(group)[-1]["text"].startswith("Terima kasih, balasan Anda sudah diteruskan")
    await world.sent()
    assert [m["text"] for m in world.fake.messages(ADMIN_1) if m.get("text") == TRICKY] == [TRICKY]


async def test_a_private_question_and_its_answer_survive_a_502_and_a_429_and_arrive_once_as_typed(world):
    from tests.test_registration import approve_sumber

    await approve_sumber(world)
    question = await world.say(ANGGOTA, ANGGOTA, TRICKY)
    hint = world.fake.messages(ANGGOTA)[-1]
    fail_once_each(world, ADMIN_1, "sendMessage", "copyMessage")
    await world.press(ANGGOTA, hint, hint["reply_markup"]["inline_keyboard"][0][0]["callback_data"])
    await past_backoff(world)
    await world.press(ANGGOTA, hint, f"pq:{question['message']['message_id']}")  # a second tap relays nothing
    headers = [m for m in world.fake.messages(ADMIN_1) if m.get("text", "").startswith("❓ Pertanyaan dari Dewi")]
    relayed = [m for m in world.fake.messages(ADMIN_1) if m.get("text") == TRICKY]
    assert len(headers) == 1 and len(relayed) == 1

    fail_once_each(world, ANGGOTA, "sendMessage", "copyMessage")
    await world.say(ADMIN_1, ADMIN_1, ANSWER, reply_to_message_id=headers[0]["message_id"])
    await past_backoff(world)
    head, answer = world.fake.messages(ANGGOTA)[-2:]
    assert head["text"] == "💬 Dinas Sosial menjawab:" and answer["text"] == ANSWER
    assert head["reply_to_message"]["message_id"] == question["message"]["message_id"]
    assert [m.get("text") for m in world.fake.messages(ANGGOTA)].count(ANSWER) == 1
    assert world.fake.violations == []


async def test_an_answer_to_a_group_that_removed_the_bot_tells_the_admin_once(world):
    from bot import texts

    [(_, group)] = await active_groups(world, 1, admin_id=ADMIN_1)
    await kirim(world, await compose(world))
    [copy] = group_copies(world, group)
    await world.say(pengurus_id(0), group, TRICKY, reply_to_message_id=copy["message_id"])
    relayed = next(m for m in world.fake.messages(ADMIN_1) if m.get("text") == TRICKY)
    await world.all_handled(world.fake.remove_bot_from_group(group, pengurus_id(0)))
    await world.say(ADMIN_1, ADMIN_1, ANSWER, reply_to_message_id=relayed["message_id"])
    told = [m for m in world.fake.messages(ADMIN_1) if m.get("text") == texts.RELAY_ADMIN_FAILED]
    assert len(told) == 1
    assert world.fake.violations == []
