"""Group registration end to end through the fake Telegram server: claim, approve, reject, replace, lifecycle."""

from __future__ import annotations

from storage import registrations
from storage.registrations import KecamatanState, Status
from tests.conftest import (
    ADMIN_1,
    ADMIN_2,
    ANGGOTA,
    KETUA,
    KETUA_WALED,
    STRANGER,
    SUMBER_GROUP,
    WALED_GROUP,
    World,
)

SUMBER = "32.09.15"


def buttons(message: dict) -> list[tuple[str, str]]:
    markup = message.get("reply_markup") or {}
    return [(b["text"], b.get("callback_data", "")) for row in markup.get("inline_keyboard", []) for b in row]


def button(message: dict, label: str) -> str:
    return next(data for text, data in buttons(message) if text == label)


def last_answer(world: World) -> str:
    """The text of the bot's latest answerCallbackQuery (the toast or alert the presser saw)."""
    answers = [r for r in world.fake.requests if r.method == "answerCallbackQuery"]
    return answers[-1].params.get("text", "") if answers else ""


def texts_in(world: World, chat_id: int) -> list[str]:
    return [m.get("text", "") for m in world.fake.messages(chat_id)]


async def add_bot(world: World, chat_id: int, by: int) -> None:
    await world.all_handled(world.fake.add_bot_to_group(chat_id, by))


async def state_of(world: World, code: str = SUMBER) -> KecamatanState:
    return {s.code: s.state for s in await registrations.overview(world.bot.db)}[code]


async def claim_sumber(world: World) -> dict:
    """Ketua adds the bot and claims Sumber; returns ADMIN_1's request message."""
    await add_bot(world, SUMBER_GROUP, KETUA)
    await world.say(KETUA, SUMBER_GROUP, "/daftar Sumber")  # the request reaches the admins through the outbox
    return world.fake.messages(ADMIN_1)[-1]


async def approve_sumber(world: World) -> dict:
    request = await claim_sumber(world)
    await world.press(ADMIN_1, request, button(request, "Setujui"))
    return request


async def test_adding_the_bot_posts_one_welcome_that_says_how_to_register(world):
    await add_bot(world, SUMBER_GROUP, KETUA)
    welcome = texts_in(world, SUMBER_GROUP)
    assert len(welcome) == 1 and "/daftar" in welcome[0]


async def test_a_group_admin_claims_a_kecamatan_by_name_and_every_reachable_admin_is_asked(world):
    request = await claim_sumber(world)
    assert "Sumber" in texts_in(world, SUMBER_GROUP)[-1] and "tunggu persetujuan" in texts_in(world, SUMBER_GROUP)[-1]
    assert "Karang Taruna Kec. Sumber" in request["text"] and "Asep" in request["text"]
    assert [label for label, _ in buttons(request)] == ["Setujui", "Tolak"]
    assert world.fake.messages(ADMIN_2) == []  # never opened the bot: 403, logged, not fatal
    assert await state_of(world) is KecamatanState.PENDING


async def test_names_match_whatever_the_case_prefix_or_spelling_variant(world):
    await add_bot(world, SUMBER_GROUP, KETUA)
    await world.say(KETUA, SUMBER_GROUP, "/daftar  kec.   GUNUNG jati ")
    assert "Gunung Jati" in texts_in(world, SUMBER_GROUP)[-1]
    assert await state_of(world, "32.09.21") is KecamatanState.PENDING


async def test_the_picker_offers_all_40_and_a_press_files_the_claim(world):
    await add_bot(world, SUMBER_GROUP, KETUA)
    await world.say(KETUA, SUMBER_GROUP, "/daftar")
    picker = world.fake.messages(SUMBER_GROUP)[-1]
    choices = buttons(picker)
    assert len(choices) == 40 and all(len(data.encode()) <= 64 for _, data in choices)
    await world.press(KETUA, picker, dict(choices)["Sumber"])
    assert "Sumber" in world.fake.messages(SUMBER_GROUP)[-1]["text"]
    assert buttons(world.fake.messages(SUMBER_GROUP)[-1]) == []  # the picker became the outcome
    assert await state_of(world) is KecamatanState.PENDING


async def test_a_plain_member_can_neither_claim_nor_use_the_picker(world):
    await add_bot(world, SUMBER_GROUP, KETUA)
    await world.say(ANGGOTA, SUMBER_GROUP, "/daftar Sumber")
    assert "hanya admin" in texts_in(world, SUMBER_GROUP)[-1]
    await world.say(KETUA, SUMBER_GROUP, "/daftar")
    picker = world.fake.messages(SUMBER_GROUP)[-1]
    await world.press(ANGGOTA, picker, button(picker, "Sumber"))
    assert "admin" in last_answer(world)
    assert await state_of(world) is KecamatanState.UNREGISTERED


async def test_daftar_in_a_private_chat_explains_where_to_register(world):
    await world.say(STRANGER, STRANGER, "/daftar Sumber")
    assert "grup" in texts_in(world, STRANGER)[-1]
    assert await state_of(world) is KecamatanState.UNREGISTERED


async def test_an_unknown_name_gets_suggestions_and_changes_nothing(world):
    await add_bot(world, SUMBER_GROUP, KETUA)
    await world.say(KETUA, SUMBER_GROUP, "/daftar Sumberjaya Raya")
    assert "tidak ditemukan" in texts_in(world, SUMBER_GROUP)[-1]
    await world.say(KETUA, SUMBER_GROUP, "/daftar " + "x" * 3000)
    assert "tidak ditemukan" in texts_in(world, SUMBER_GROUP)[-1]
    assert all(s.state is KecamatanState.UNREGISTERED for s in await registrations.overview(world.bot.db))


async def test_approval_activates_the_group_tells_it_and_updates_the_admin_message(world):
    request = await approve_sumber(world)
    assert "disetujui" in texts_in(world, SUMBER_GROUP)[-1]
    edited = next(m for m in world.fake.messages(ADMIN_1) if m["message_id"] == request["message_id"])
    assert "Disetujui oleh Siti" in edited["text"] and buttons(edited) == []
    assert await state_of(world) is KecamatanState.ACTIVE


async def test_a_double_tap_on_setujui_decides_once(world):
    request = await approve_sumber(world)
    before = len(world.fake.messages(SUMBER_GROUP))
    await world.press(ADMIN_1, request, button(request, "Setujui"))
    assert "sudah diproses" in last_answer(world)
    assert len(world.fake.messages(SUMBER_GROUP)) == before


async def test_rejection_tells_the_group_and_leaves_the_kecamatan_unregistered(world):
    request = await claim_sumber(world)
    await world.press(ADMIN_1, request, button(request, "Tolak"))
    assert "tidak disetujui" in texts_in(world, SUMBER_GROUP)[-1]
    assert await state_of(world) is KecamatanState.UNREGISTERED


async def test_only_dinsos_admins_can_decide_even_with_the_right_button_data(world):
    request = await claim_sumber(world)
    await world.press(KETUA, request, button(request, "Setujui"))
    assert "hanya untuk admin" in last_answer(world)
    assert await state_of(world) is KecamatanState.PENDING


async def test_forged_button_data_is_refused_politely(world):
    request = await claim_sumber(world)
    for forged in ("reg:ok:999999", "daftar:99.99.99", "reg:ok:abc", "zzz"):
        await world.press(ADMIN_1, request, forged)
        assert last_answer(world)
    assert await state_of(world) is KecamatanState.PENDING


async def test_an_admin_who_never_opened_the_bot_sees_waiting_requests_on_start(world):
    await claim_sumber(world)
    await world.say(ADMIN_2, ADMIN_2, "/start")
    await world.say(ADMIN_2, ADMIN_2, "/start")
    requests = [m for m in world.fake.messages(ADMIN_2) if buttons(m)]
    assert len(requests) == 1  # shown once, not at every /start
    assert "Karang Taruna Kec. Sumber" in requests[0]["text"]
    await world.press(ADMIN_2, requests[0], button(requests[0], "Setujui"))
    assert await state_of(world) is KecamatanState.ACTIVE


async def test_a_second_group_is_shown_as_a_replacement_and_approval_retires_the_old_one(world):
    await approve_sumber(world)
    await add_bot(world, WALED_GROUP, KETUA_WALED)
    await world.say(KETUA_WALED, WALED_GROUP, "/daftar Sumber")
    request = world.fake.messages(ADMIN_1)[-1]
    assert "Pengganti" in request["text"] and "Karang Taruna Kec. Sumber" in request["text"]
    await world.press(ADMIN_1, request, button(request, "Setujui"))
    assert "tidak lagi terdaftar" in texts_in(world, SUMBER_GROUP)[-1]
    active = await registrations.active_for_kecamatan(world.bot.db, SUMBER)
    assert active is not None and active.chat_id == WALED_GROUP


async def test_removing_the_bot_makes_the_registration_inactive_and_readding_allows_daftar(world):
    await approve_sumber(world)
    await world.all_handled(world.fake.remove_bot_from_group(SUMBER_GROUP, KETUA))
    assert await state_of(world) is KecamatanState.INACTIVE
    assert "dikeluarkan" in texts_in(world, ADMIN_1)[-1]
    await add_bot(world, SUMBER_GROUP, KETUA)
    await world.say(KETUA, SUMBER_GROUP, "/daftar Sumber")
    assert await state_of(world) is KecamatanState.PENDING


async def test_a_group_upgraded_to_supergroup_keeps_its_registration(world):
    await approve_sumber(world)
    await world.all_handled(world.fake.migrate_group(SUMBER_GROUP, -1009001))
    active = await registrations.active_for_kecamatan(world.bot.db, SUMBER)
    assert active is not None and active.chat_id == -1009001
    await world.say(KETUA, -1009001, "/bantuan")
    assert "Kecamatan Sumber" in texts_in(world, -1009001)[-1]


async def test_a_restart_keeps_pending_requests_decidable(world):
    request = await claim_sumber(world)
    await world.bot.restart()
    await world.press(ADMIN_1, request, button(request, "Setujui"))
    assert await state_of(world) is KecamatanState.ACTIVE


async def test_kecamatan_lists_all_40_for_admins_and_refuses_others(world):
    await approve_sumber(world)
    await world.say(ADMIN_1, ADMIN_1, "/kecamatan")
    overview = "\n".join(texts_in(world, ADMIN_1)[-1:])
    assert overview.count("\n") >= 40 and "Sumber – aktif, grup «Karang Taruna Kec. Sumber»" in overview
    assert "Waled – belum terdaftar" in overview
    await world.say(STRANGER, STRANGER, "/kecamatan")
    assert "hanya untuk admin" in texts_in(world, STRANGER)[-1]


async def test_every_registered_row_keeps_who_asked_and_who_approved(world):
    await approve_sumber(world)
    [reg] = await registrations.all_registrations(world.bot.db)
    assert (reg.status, reg.requested_by_id, reg.decided_by_id) == (Status.ACTIVE, KETUA, ADMIN_1)


async def test_a_send_that_meets_an_upgraded_group_follows_it_to_the_supergroup(world):
    request = await claim_sumber(world)
    world.fake.migrate_group(SUMBER_GROUP, -1009002)
    world.fake.drop_pending_updates()  # the bot never saw the service messages (down for over 24 hours)
    await world.press(ADMIN_1, request, button(request, "Setujui"))
    assert "disetujui" in texts_in(world, -1009002)[-1]
    active = await registrations.active_for_kecamatan(world.bot.db, SUMBER)
    assert active is not None and active.chat_id == -1009002


async def test_a_registration_request_hit_by_a_502_and_a_429_still_reaches_the_admin_once(world):
    from datetime import timedelta

    await add_bot(world, SUMBER_GROUP, KETUA)
    world.fake.fail_next("sendMessage", error_code=502, description="Bad Gateway", chat_id=ADMIN_1)
    world.fake.fail_next(
        "sendMessage", error_code=429, description="Too Many Requests: retry after 1", retry_after=1, chat_id=ADMIN_1
    )
    await world.say(KETUA, SUMBER_GROUP, "/daftar Sumber")
    assert "tunggu persetujuan" in texts_in(world, SUMBER_GROUP)[-1]  # the group is answered at once
    world.clock.advance(timedelta(minutes=1))  # past the outbox's backoff after the 502
    assert world.bot.app is not None and world.bot.app.bot_data.sender is not None
    world.bot.app.bot_data.sender.wake()
    await world.sent()
    requests = [m for m in world.fake.messages(ADMIN_1) if m.get("text", "").startswith("Permintaan pendaftaran")]
    assert len(requests) == 1 and [label for label, _ in buttons(requests[0])] == ["Setujui", "Tolak"]
    await world.press(ADMIN_1, requests[0], button(requests[0], "Setujui"))
    assert "disetujui" in texts_in(world, SUMBER_GROUP)[-1]
