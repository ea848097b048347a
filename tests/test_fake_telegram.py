"""Tests of the fake Telegram Bot API server itself: spec checks, Telegram's errors, updates, flood."""

import asyncio
import datetime as dtm
import json
import logging
import time

import aiohttp
import pytest
import telegram
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    ReplyKeyboardMarkup,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    NetworkError,
    RetryAfter,
)

from tests.support.bot_api_spec import load_spec, validate_object, validate_request
from tests.support.fake_telegram import FakeTelegram
from tests.support.flood import FloodControl, SlidingWindow
from tests.support.tg_html import HtmlParseError, parse_html

logger = logging.getLogger(__name__)

# PTB 22 warns, when it builds RetryAfter, that retry_after will become a timedelta; nothing to do here.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

TOKEN = "123456:TEST"
USER = 501
OTHER = 502
GROUP = -7001
SUPERGROUP = -1001234567890


# ---------------------------------------------------------------- fixtures
# Own fixture names: the suite-wide `fake` fixture fails a test on any violation, and these tests make some.


@pytest.fixture
async def server():
    """A running fake with one user who has started the bot and a group with the bot in it."""
    async with FakeTelegram() as fake:
        fake.add_user(USER, "Ani", username="ani_kt")
        fake.add_user(OTHER, "Budi")
        fake.add_group(GROUP, "KT Sumber", members={USER: "creator", OTHER: "member"})
        yield fake


@pytest.fixture
async def bot(server):
    """A real python-telegram-bot Bot talking HTTP to the fake."""
    tg_bot = telegram.Bot(TOKEN, base_url=f"{server.api_url}/bot", base_file_url=f"{server.api_url}/file/bot")
    async with tg_bot:
        yield tg_bot


@pytest.fixture
async def http(server):
    """A plain aiohttp client for requests PTB would never make."""
    async with aiohttp.ClientSession() as session:
        yield session


async def post(http: aiohttp.ClientSession, server: FakeTelegram, method: str, **data) -> tuple[int, dict]:
    """Form-encoded POST like PTB's (non-strings JSON-encoded); returns (status, envelope)."""
    form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in data.items()}
    async with http.post(f"{server.api_url}/bot{TOKEN}/{method}", data=form) as response:
        return response.status, await response.json()


def retry_seconds(error: RetryAfter) -> float:
    """RetryAfter.retry_after in seconds (an int now, a timedelta in a future PTB)."""
    value = error.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


def assert_results_match_spec(fake: FakeTelegram) -> None:
    """Everything the fake answered and queued must itself be valid Bot API objects."""
    methods = load_spec()["methods"]
    for record in fake.requests:
        if record.ok:
            returns = methods[record.method]["returns"]
            problems = [validate_object(record.result, t) for t in returns]
            assert any(p == [] for p in problems), (record.method, problems)
    for update in fake.pending_updates():
        assert validate_object(update, "Update") == [], update


# ---------------------------------------------------------------- the spec copy and the validator


def test_spec_copy_has_the_methods_ptb_calls():
    spec = load_spec()
    assert spec["version"].startswith("Bot API ")
    params = {p["name"]: p for p in spec["methods"]["sendMessage"]["params"]}
    assert params["chat_id"]["types"] == ["Integer", "String"] and params["text"]["required"]
    assert "BotCommandScopeChat" in spec["types"]["BotCommandScope"]["subtypes"]


def test_validator_accepts_a_valid_request_and_names_each_problem():
    assert validate_request("sendMessage", {"chat_id": "5", "text": "halo"}) == []
    assert validate_request("sendMessage", {"chat_id": "1.5x", "txt": "hi"}) == [
        "unknown parameter 'txt'",
        "missing required parameter 'text'",
    ]
    assert "unknown method 'sendmessage'" in validate_request("sendmessage", {"chat_id": "1", "text": "x"})[0]
    assert validate_request("getUpdates", {"offset": "abc"}) == ["offset must be Integer, got 'abc'"]
    assert validate_request("sendMessage", {"chat_id": "true", "text": "x", "disable_notification": "1"}) == [
        "disable_notification must be Boolean, got 1"
    ]


def test_validator_recurses_into_objects_and_unions():
    markup = {"keyboard": [[{"txt": "a"}]]}
    problems = validate_request("sendMessage", {"chat_id": "1", "text": "x", "reply_markup": json.dumps(markup)})
    assert problems == [
        "reply_markup.keyboard[0][0]: unknown field 'txt' for KeyboardButton",
        "reply_markup.keyboard[0][0]: missing required field 'text' of KeyboardButton",
    ]
    commands = json.dumps([{"command": "start", "description": "Mulai"}])
    assert validate_request("setMyCommands", {"commands": commands, "scope": '{"type": "chat", "chat_id": 5}'}) == []
    bad_scope = validate_request("setMyCommands", {"commands": commands, "scope": '{"type": "chat"}'})
    assert bad_scope == ["scope: missing required field 'chat_id' of BotCommandScopeChat"]


def test_validator_enforces_telegram_limits():
    def markup(**button):
        return json.dumps({"inline_keyboard": [[{"text": "Ya", **button}]]})

    assert (
        validate_request("sendMessage", {"chat_id": "1", "text": "x", "reply_markup": markup(callback_data="é" * 32)})
        == []
    )
    too_long = validate_request(
        "sendMessage", {"chat_id": "1", "text": "x", "reply_markup": markup(callback_data="é" * 33)}
    )
    assert too_long == ["reply_markup.inline_keyboard[0][0].callback_data is 66 bytes, Telegram allows 1-64"]
    two_actions = markup(callback_data="a", url="https://x.id")
    assert (
        "several action fields"
        in validate_request("sendMessage", {"chat_id": "1", "text": "x", "reply_markup": two_actions})[0]
    )
    assert (
        "no action field" in validate_request("sendMessage", {"chat_id": "1", "text": "x", "reply_markup": markup()})[0]
    )
    assert validate_request("sendMessage", {"chat_id": "1", "text": "a" * 4097})[0].startswith("message is too long")
    # 4096 visible characters are fine even though the tags make the raw text longer.
    assert validate_request("sendMessage", {"chat_id": "1", "text": f"<b>{'a' * 4096}</b>", "parse_mode": "HTML"}) == []
    assert validate_request("sendMessage", {"chat_id": "1", "text": "&amp;" * 4097, "parse_mode": "HTML"}) != []
    assert validate_request("sendMessage", {"chat_id": "1", "text": " \n"}) == ["message text is empty"]
    assert "1024" in validate_request("sendPhoto", {"chat_id": "1", "photo": "x", "caption": "c" * 1025})[0]
    assert "200" in validate_request("answerCallbackQuery", {"callback_query_id": "1", "text": "t" * 201})[0]
    bad_command = json.dumps([{"command": "Daftar", "description": "x"}])
    assert "must match" in validate_request("setMyCommands", {"commands": bad_command})[0]
    many = json.dumps([{"command": f"c{i}", "description": "x"} for i in range(101)])
    assert "max 100" in validate_request("setMyCommands", {"commands": many})[0]
    assert validate_request("editMessageText", {"text": "x"}) == [
        "chat_id and message_id are required when inline_message_id is not specified"
    ]


def test_html_parse_mode_gives_plain_text_and_utf16_entities():
    plain, entities = parse_html('<b>Halo</b> &amp; 😀 <a href="https://x.id">tautan</a>')
    assert plain == "Halo & 😀 tautan"
    assert entities == [
        {"type": "bold", "offset": 0, "length": 4},
        {"type": "text_link", "offset": 10, "length": 6, "url": "https://x.id"},  # 😀 is 2 UTF-16 units
    ]
    for bad, error in [
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("a < b", 'Character "<" must be escaped'),
        ("Tom & Jerry", 'Character "&" must be escaped'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
    ]:
        with pytest.raises(HtmlParseError, match=error.replace("(", r"\(")):
            parse_html(bad)


# ---------------------------------------------------------------- flood control (injected clock, no sleeping)


def test_sliding_window_reports_the_wait_until_it_frees():
    now = [100.0]
    window = SlidingWindow(limit=3, window=1.0, clock=lambda: now[0])
    assert [window.hit() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert window.hit() == pytest.approx(1.0)
    now[0] = 100.4
    assert window.hit() == pytest.approx(0.6)
    now[0] = 101.0  # the first three have left the window
    assert window.hit() == 0.0


def test_flood_control_lets_a_short_burst_into_a_private_chat_then_one_a_second():
    now = [100.0]
    flood = FloodControl(clock=lambda: now[0])
    assert all(flood.check_send(USER) is None for _ in range(20))
    assert flood.check_send(USER) == 1
    assert flood.check_send(USER + 1) is None  # another person is unaffected
    now[0] += 1.0
    assert flood.check_send(USER) is None and flood.check_send(USER) == 1
    now[0] += 5.0
    assert all(flood.check_send(USER) is None for _ in range(5))
    assert flood.check_send(USER) == 1


def test_flood_control_limits_overall_rate_and_each_group_separately():
    now = [0.0]
    flood = FloodControl(clock=lambda: now[0])
    assert all(flood.check_send(USER + i) is None for i in range(30))
    assert flood.check_send(USER) == 1  # 31st in the same second
    now[0] = 1.0
    assert all(flood.check_send(GROUP) is None for _ in range(20))
    assert flood.check_send(GROUP) == 60  # 21st into one group within a minute
    assert flood.check_send(GROUP - 1) is None  # another group is unaffected
    now[0] = 31.5
    assert flood.check_send(GROUP) == 30  # ceil(61.0 - 31.5)
    now[0] = 61.0
    assert flood.check_send(GROUP) is None


async def test_ptb_gets_retry_after_when_the_fake_floods():
    now = [50.0]
    async with FakeTelegram(clock=lambda: now[0]) as fake:
        fake.add_user(USER, "Ani")
        fake.user_starts_bot(USER)
        async with telegram.Bot(TOKEN, base_url=f"{fake.api_url}/bot") as tg_bot:
            for i in range(20):  # a short burst into one private chat is allowed
                await tg_bot.send_message(USER, f"pesan {i}")
            with pytest.raises(RetryAfter) as caught:
                await tg_bot.send_message(USER, "satu lagi")
            assert retry_seconds(caught.value) == 1
            assert fake.flood_429_count == 1
            assert fake.sent_to(USER)[-1].response["parameters"] == {"retry_after": 1}
            now[0] += 1.0
            await tg_bot.send_message(USER, "setelah menunggu")


# ---------------------------------------------------------------- HTTP surface


async def test_envelopes_status_codes_and_routing(server, http):
    server.user_starts_bot(USER)
    status, body = await post(http, server, "sendMessage", chat_id=USER, text="halo")
    assert status == 200 and body["ok"] and body["result"]["text"] == "halo"
    async with http.post(f"{server.api_url}/bot999:WRONG/getMe") as response:
        assert response.status == 401 and (await response.json())["description"] == "Unauthorized"
    status, body = await post(http, server, "sendmessage", chat_id=USER, text="halo")
    assert (status, body) == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found: method not found"},
    )
    assert any("did you mean 'sendMessage'" in v for v in server.violations)
    async with http.get(f"{server.api_url}/bot{TOKEN}/getChat", params={"chat_id": str(USER)}) as response:
        assert (await response.json())["result"]["first_name"] == "Ani"
    async with http.post(
        f"{server.api_url}/bot{TOKEN}/sendMessage", json={"chat_id": USER, "text": "json"}
    ) as response:
        assert response.status == 200
    status, body = await post(http, server, "setChatTitle", chat_id=GROUP, title="x")
    assert status == 400 and body["description"] == "Bad Request: fake server does not implement setChatTitle"
    assert server.violations[-1] == "setChatTitle: Bad Request: fake server does not implement setChatTitle"


# do_api_request warns that a dedicated Bot method exists; here the raw call is the point.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBUserWarning")
async def test_every_invalid_request_is_a_violation_and_a_400(server, bot):
    server.user_starts_bot(USER)
    await bot.send_message(USER, "<b>valid</b>", parse_mode="HTML")
    assert server.violations == []
    cases = [
        ({"api_kwargs": {"txt": "x"}}, "unknown parameter 'txt'"),
        ({"text": "a" * 4097}, "Message is too long"),
        ({"text": "1 < 2", "parse_mode": "HTML"}, "Can't parse entities: character"),
        (
            {
                "text": "x",
                "reply_markup": InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="x" * 65)]]),
            },
            "Button_data_invalid",
        ),
    ]
    for kwargs, message in cases:
        with pytest.raises(BadRequest) as caught:
            await bot.send_message(USER, **{"text": "x", **kwargs})
        assert message.lower() in caught.value.message.lower()
    assert len(server.violations) == 4
    with pytest.raises(BadRequest, match="Missing required parameter 'text'"):
        await bot.do_api_request("sendMessage", api_kwargs={"chat_id": USER})
    with pytest.raises(BadRequest, match=r"(?i)message_id must be Integer"):  # PTB capitalizes messages
        await bot.do_api_request("deleteMessage", api_kwargs={"chat_id": USER, "message_id": "satu"})
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendMesage", api_kwargs={"chat_id": USER, "text": "x"})
    assert len(server.violations) == 7
    assert server.sent_to(USER)[1].status == 400  # failed attempts are recorded too


async def test_injected_failures_reach_ptb_as_its_exception_types(server, bot):
    server.user_starts_bot(USER)
    server.fail_next("sendMessage", error_code=502, description="Bad Gateway")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(USER, "x")
    server.fail_next("sendMessage", error_code=429, description="Too Many Requests: retry after 7", retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(USER, "x")
    assert retry_seconds(caught.value) == 7
    server.fail_next("getChat", error_code=400, description="Bad Request: chat not found", chat_id=OTHER, times=2)
    assert (await bot.get_chat(USER)).id == USER  # another chat is not affected
    await bot.send_message(USER, "normal again")


# ---------------------------------------------------------------- chats, blocking, groups, migration


async def test_private_chat_needs_start_and_blocking_gives_403(server, bot):
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_message(USER, "halo")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(424242, "nobody")
    server.user_starts_bot(USER, "ref42")
    assert (await bot.send_message(USER, "halo")).text == "halo"
    update = server.block_bot(USER)
    assert update["my_chat_member"]["new_chat_member"]["status"] == "kicked"
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER, "halo lagi")
    update = server.send_text(USER, USER, "/start")  # "Restart" unblocks first
    assert update["message"]["text"] == "/start"
    assert server.pending_updates()[-2]["my_chat_member"]["new_chat_member"]["status"] == "member"
    await bot.send_message(USER, "kembali")


async def test_group_membership_of_the_bot_drives_errors(server, bot):
    with pytest.raises(BadRequest, match="Chat not found"):  # never in it: the bot cannot see the group
        await bot.send_message(GROUP, "x")
    updates = server.add_bot_to_group(GROUP, USER)
    assert [next(k for k in u if k != "update_id") for u in updates] == ["my_chat_member", "message"]
    assert updates[0]["my_chat_member"]["old_chat_member"]["status"] == "left"
    assert updates[1]["message"]["new_chat_members"][0]["username"] == "dinsos_kt_bot"
    await bot.send_message(GROUP, "Halo grup")
    assert (await bot.get_chat_member(GROUP, USER)).status == "creator"
    assert (await bot.get_chat_member(GROUP, 777)).status == "left"
    assert await bot.get_chat_member_count(GROUP) == 3
    assert [m.status for m in await bot.get_chat_administrators(GROUP)] == ["creator"]
    server.remove_bot_from_group(GROUP, USER, kicked=True)
    with pytest.raises(Forbidden, match="bot was kicked from the group chat"):
        await bot.send_message(GROUP, "x")
    server.add_bot_to_group(GROUP, USER)
    assert await bot.leave_chat(GROUP)
    with pytest.raises(Forbidden, match="bot is not a member of the group chat"):
        await bot.send_message(GROUP, "x")
    assert server.pending_updates()[-1]["my_chat_member"]["new_chat_member"]["status"] == "left"


async def test_supergroup_errors_say_supergroup(server, bot):
    server.add_group(SUPERGROUP, "KT Waled", supergroup=True, members={OTHER: "administrator"})
    server.add_bot_to_group(SUPERGROUP, OTHER, as_admin=True)
    server.remove_bot_from_group(SUPERGROUP, OTHER, kicked=True)
    with pytest.raises(Forbidden, match="bot was kicked from the supergroup chat"):
        await bot.send_message(SUPERGROUP, "x")


async def test_migrated_group_raises_chat_migrated_with_the_new_id(server, bot):
    server.add_bot_to_group(GROUP, USER)
    updates = server.migrate_group(GROUP, SUPERGROUP)
    assert updates[0]["message"]["migrate_to_chat_id"] == SUPERGROUP
    assert updates[1]["message"]["migrate_from_chat_id"] == GROUP
    assert updates[1]["message"]["chat"] == {"id": SUPERGROUP, "type": "supergroup", "title": "KT Sumber"}
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(GROUP, "x")
    assert caught.value.new_chat_id == SUPERGROUP
    assert (await bot.send_message(SUPERGROUP, "pindah")).chat.type == "supergroup"
    assert (await bot.get_chat_member(SUPERGROUP, USER)).status == "creator"
    with pytest.raises(ValueError, match="migrated"):
        server.send_text(USER, GROUP, "/daftar")


# ---------------------------------------------------------------- privacy mode


async def test_privacy_mode_delivers_only_commands_replies_and_mentions(server, bot):
    assert server.send_text(USER, GROUP, "/daftar") is None  # the bot is not in the group yet
    server.add_bot_to_group(GROUP, USER)
    assert server.send_text(OTHER, GROUP, "halo semua") is None
    assert server.undelivered[-1]["text"] == "halo semua"
    command = server.send_text(OTHER, GROUP, "/daftar Sumber")
    assert command["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 7}]
    assert server.send_text(OTHER, GROUP, "/daftar@dinsos_kt_bot") is not None
    assert server.send_text(OTHER, GROUP, "/daftar@otherbot") is None
    assert server.send_text(OTHER, GROUP, "tolong @dinsos_kt_bot") is not None
    sent = await bot.send_message(GROUP, "Silakan balas")
    reply = server.send_text(OTHER, GROUP, "ini balasan", reply_to_message_id=sent.message_id)
    assert reply["message"]["reply_to_message"]["from"]["id"] == 999000
    photo = server.new_file(b"jpeg", "photo")
    assert server.send_message(OTHER, GROUP, photo=photo, caption="foto kegiatan") is None
    server.add_user(503, "Citra")
    with pytest.raises(ValueError, match="not a member"):
        server.send_text(503, GROUP, "x")


async def test_an_admin_bot_receives_all_group_messages(server):
    server.add_bot_to_group(GROUP, USER, as_admin=True)
    assert server.send_text(OTHER, GROUP, "halo semua") is not None


# ---------------------------------------------------------------- getUpdates


async def test_long_poll_returns_as_soon_as_an_update_arrives_and_offset_confirms(server, bot):
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await server.wait_for(lambda: server.polls_waiting == 1)
    started = time.monotonic()
    server.user_starts_bot(USER)
    updates = await asyncio.wait_for(poll, 5)
    assert time.monotonic() - started < 1.0
    assert [u.message.text for u in updates] == ["/start"]
    assert len(server.pending_updates()) == 1  # not confirmed yet
    assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == ()
    assert server.pending_updates() == []
    first = server.send_text(USER, USER, "satu")
    server.send_text(USER, USER, "dua")
    assert [u.message.text for u in await bot.get_updates(limit=1)] == ["satu"]
    assert [u.update_id for u in await bot.get_updates(offset=-1)] == [first["update_id"] + 1]


async def test_stop_releases_a_long_poll_promptly():
    fake = FakeTelegram()
    await fake.start()
    async with telegram.Bot(TOKEN, base_url=f"{fake.api_url}/bot") as tg_bot:
        poll = asyncio.create_task(tg_bot.get_updates(timeout=30))
        await fake.wait_for(lambda: fake.polls_waiting == 1)
        started = time.monotonic()
        await fake.stop()
        assert await asyncio.wait_for(poll, 5) == ()
        assert time.monotonic() - started < 2.0


async def test_a_second_poller_terminates_the_first_with_conflict(server, bot, http):
    # PTB's own getUpdates connection pool holds one request, so the second poller is a plain client.
    first = asyncio.create_task(bot.get_updates(timeout=30))
    await server.wait_for(lambda: server.polls_waiting == 1)
    second = asyncio.create_task(post(http, server, "getUpdates", timeout=30))
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await asyncio.wait_for(first, 5)
    server.user_starts_bot(USER)
    status, body = await asyncio.wait_for(second, 5)
    assert status == 200 and len(body["result"]) == 1


async def test_redelivery_and_prebuilt_updates(server, bot):
    update = server.user_starts_bot(USER)
    await bot.get_updates(offset=update["update_id"] + 1)
    server.redeliver(update)
    assert [u.update_id for u in await bot.get_updates(offset=update["update_id"] + 1)] == [update["update_id"]]
    built = server.build_text_update(USER, USER, "sudah diterima")
    assert built["update_id"] == update["update_id"] + 1 and server.pending_updates() == []


# ---------------------------------------------------------------- messages, edits, buttons, files, commands


async def test_messages_reflect_edits_and_deletes_and_not_modified_is_400(server, bot):
    server.user_starts_bot(USER)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Setujui", callback_data="ok:1")]])
    sent = await bot.send_message(USER, "<b>Permintaan</b> baru", parse_mode="HTML", reply_markup=keyboard)
    assert server.messages(USER)[0]["text"] == "Permintaan baru"
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text(
            "<b>Permintaan</b> baru", USER, sent.message_id, parse_mode="HTML", reply_markup=keyboard
        )
    await bot.edit_message_text("Disetujui", USER, sent.message_id)  # no reply_markup: the keyboard goes
    assert "reply_markup" not in server.messages(USER)[0] and server.messages(USER)[0]["text"] == "Disetujui"
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.edit_message_text(" ", USER, sent.message_id)
    second = await bot.send_message(USER, "kedua", reply_markup=ReplyKeyboardMarkup([["Ya", "Tidak"]]))
    assert server.reply_keyboard(USER)["keyboard"][0][0]["text"] == "Ya"
    assert await bot.delete_message(USER, second.message_id)
    assert [m["text"] for m in server.messages(USER)] == ["Disetujui"]
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(USER, second.message_id)
    assert_results_match_spec(server)


async def test_callback_queries_must_be_answered_once(server, bot):
    server.user_starts_bot(USER)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Ya", callback_data="ya")]])
    sent = await bot.send_message(USER, "Lanjut?", reply_markup=keyboard)
    message = server.messages(USER)[0]
    update = server.press_button(USER, message, "ya")
    query_id = update["callback_query"]["id"]
    assert update["callback_query"]["message"]["message_id"] == sent.message_id
    assert server.unanswered_callback_queries() == [query_id]
    assert await bot.answer_callback_query(query_id, text="Oke")
    assert server.unanswered_callback_queries() == [] and server.callback_answer(query_id)["text"] == "Oke"
    with pytest.raises(BadRequest, match="Query is too old and response timeout expired"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(ValueError, match="no button"):
        server.press_button(USER, message, "tidak", strict=True)
    assert server.press_button(USER, message, "forged")["callback_query"]["data"] == "forged"


async def test_wait_for_message_returns_each_new_message_once(server, bot):
    server.user_starts_bot(USER)
    sending = asyncio.create_task(bot.send_message(USER, "pertama"))
    assert (await server.wait_for_message(USER))["text"] == "pertama"
    await sending
    await bot.send_message(USER, "kedua")
    await bot.send_message(USER, "ketiga")
    assert (await server.wait_for_message(USER, lambda m: m["text"] == "ketiga"))["text"] == "ketiga"
    assert (await server.wait_for_message(USER))["text"] == "kedua"
    with pytest.raises(AssertionError, match="no new bot message in chat 501") as caught:
        await server.wait_for_message(USER, timeout=0.05)
    assert "'ketiga'" in str(caught.value)


async def test_files_upload_and_download_and_media_groups(server, bot):
    server.user_starts_bot(USER)
    doc = await bot.send_document(USER, b"isi,csv\n1,2\n", filename="laporan.csv", caption="Laporan")
    assert doc.document.file_name == "laporan.csv" and doc.caption == "Laporan"
    assert server.file_data(doc.document.file_id) == b"isi,csv\n1,2\n"
    user_photo = server.new_file(b"\xff\xd8jpeg", "photo")
    update = server.send_message(USER, USER, photo=user_photo, caption="foto")
    file = await bot.get_file(update["message"]["photo"][-1]["file_id"])
    assert await file.download_as_bytearray() == bytearray(b"\xff\xd8jpeg")
    album = await bot.send_media_group(USER, [InputMediaPhoto(b"a"), InputMediaPhoto(b"b", caption="dua")])
    assert len({m.media_group_id for m in album}) == 1 and album[1].caption == "dua"
    copied = await bot.copy_message(USER, USER, doc.message_id, caption="salinan")
    assert server.messages(USER)[-1]["message_id"] == copied.message_id
    assert server.messages(USER)[-1]["caption"] == "salinan"
    assert await bot.send_chat_action(USER, "upload_document")
    assert server.chat_actions == [(USER, "upload_document")]
    assert_results_match_spec(server)


async def test_commands_are_stored_per_scope_and_language(server, bot):
    await bot.set_my_commands([BotCommand("daftar", "Daftarkan grup")])
    await bot.set_my_commands([BotCommand("admin", "Menu admin")], language_code="id")
    assert [c.command for c in await bot.get_my_commands()] == ["daftar"]
    assert server.commands(language_code="id") == [{"command": "admin", "description": "Menu admin"}]
    with pytest.raises(BadRequest, match="Chat not found"):  # the user never talked to the bot
        await bot.set_my_commands([BotCommand("x", "y")], scope=BotCommandScopeChat(USER))
    server.user_starts_bot(USER)
    await bot.set_my_commands([BotCommand("x", "y")], scope=BotCommandScopeChat(USER))
    assert server.commands({"type": "chat", "chat_id": USER}) == [{"command": "x", "description": "y"}]
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    assert server.violations == []
    assert_results_match_spec(server)


async def test_forward_copy_and_the_other_edits(server, bot):
    server.user_starts_bot(USER)
    server.user_starts_bot(OTHER)
    original = server.send_text(USER, USER, "laporan kegiatan")["message"]
    forwarded = await bot.forward_message(OTHER, USER, original["message_id"])
    assert forwarded.forward_origin.sender_user.id == USER and forwarded.text == "laporan kegiatan"
    with pytest.raises(BadRequest, match="Message to copy not found"):
        await bot.copy_message(OTHER, USER, 999)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Buka", url="https://cirebonkab.go.id")]])
    photo = await bot.send_photo(OTHER, b"png", caption="<i>Foto</i>", parse_mode="HTML")
    assert photo.caption == "Foto" and photo.caption_entities[0].type == "italic"
    edited = await bot.edit_message_caption(OTHER, photo.message_id, caption="Foto baru", reply_markup=keyboard)
    assert edited.caption == "Foto baru" and edited.reply_markup == keyboard
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(OTHER, photo.message_id, reply_markup=keyboard)
    await bot.edit_message_reply_markup(OTHER, photo.message_id)
    assert "reply_markup" not in server.messages(OTHER)[-1]
    with pytest.raises(BadRequest, match="There is no text in the message to edit"):
        await bot.edit_message_text("teks", OTHER, photo.message_id)
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("bukan milik bot", USER, original["message_id"])
    assert server.violations == []
    assert_results_match_spec(server)


async def test_random_failures_hit_the_configured_share_of_sends_reproducibly():
    async with FakeTelegram(flood_control=False) as fake:
        fake.add_user(7, "A")
        fake.send_text(7, 7, "/start")
        fake.fail_randomly(0.5, seed=3)
        bot = telegram.Bot(fake.token, base_url=f"{fake.api_url}/bot")
        async with bot:
            outcomes = []
            for _ in range(40):
                try:
                    await bot.send_message(7, "x")
                    outcomes.append(True)
                except NetworkError:
                    outcomes.append(False)
        assert fake.random_failures_served == outcomes.count(False)
        assert 10 <= outcomes.count(False) <= 30
        assert len(fake.messages(7)) == outcomes.count(True)
