"""/start, /bantuan and the command menu: every command handler is in the menu and in /bantuan."""

from __future__ import annotations

import json

from telegram.ext import CommandHandler

from bot.commands import COMMANDS, Audience, for_audience
from tests.conftest import ADMIN_1, ANGGOTA, KETUA, STRANGER, SUMBER_GROUP, World


def command_handlers(world: World) -> set[str]:
    assert world.bot.app is not None
    return {
        command
        for group in world.bot.app.handlers.values()
        for handler in group
        if isinstance(handler, CommandHandler)
        for command in handler.commands
    }


def published_menus(world: World) -> dict[str, set[str]]:
    """Scope type (or 'chat:<id>') -> command names, from the setMyCommands calls the bot made."""
    menus: dict[str, set[str]] = {}
    for request in world.fake.requests:
        if request.method != "setMyCommands" or not request.ok:
            continue
        scope = request.params.get("scope") or {"type": "default"}
        scope = json.loads(scope) if isinstance(scope, str) else scope
        key = scope["type"] if scope["type"] != "chat" else f"chat:{scope['chat_id']}"
        commands = request.params["commands"]
        commands = json.loads(commands) if isinstance(commands, str) else commands
        menus[key] = {c["command"] for c in commands}
    return menus


async def test_every_command_handler_is_in_a_menu_and_in_the_help_of_its_audience(world):
    await world.say(STRANGER, STRANGER, "/bantuan")
    await world.say(ADMIN_1, ADMIN_1, "/bantuan")
    await world.all_handled(world.fake.add_bot_to_group(SUMBER_GROUP, KETUA))
    await world.say(ANGGOTA, SUMBER_GROUP, "/bantuan")
    help_seen = {
        Audience.PRIVATE: world.fake.messages(STRANGER)[-1]["text"],
        Audience.ADMIN: world.fake.messages(ADMIN_1)[-1]["text"],
        Audience.GROUP: world.fake.messages(SUMBER_GROUP)[-1]["text"],
    }
    menus = published_menus(world)
    scope_of = {
        Audience.PRIVATE: "default",
        Audience.GROUP: "all_group_chats",
        Audience.ADMIN: f"chat:{ADMIN_1}",
    }
    handled = command_handlers(world)
    assert handled == {c.name for c in COMMANDS}
    for audience, scope in scope_of.items():
        names = {c.name for c in for_audience(audience)}
        assert menus[scope] == names
        for name in names:
            assert f"/{name}" in help_seen[audience], (audience, name)


async def test_start_in_private_tells_a_stranger_how_groups_get_registered(world):
    await world.say(STRANGER, STRANGER, "/start")
    text = world.fake.messages(STRANGER)[-1]["text"]
    assert "/daftar" in text and "admin Dinsos" not in text


async def test_group_help_shows_the_group_registration_state(world):
    await world.all_handled(world.fake.add_bot_to_group(SUMBER_GROUP, KETUA))
    await world.say(ANGGOTA, SUMBER_GROUP, "/bantuan")
    assert "belum terdaftar" in world.fake.messages(SUMBER_GROUP)[-1]["text"]


async def test_stickers_and_stray_text_in_private_get_a_pointer_to_help(world):
    await world.bot.handled(
        world.fake.send_message(
            STRANGER,
            STRANGER,
            sticker={
                "file_id": "st1",
                "file_unique_id": "u1",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            },
        )
    )
    assert "/bantuan" in world.fake.messages(STRANGER)[-1]["text"]
    await world.say(STRANGER, STRANGER, "/tidakada")
    assert "tidak dikenal" in world.fake.messages(STRANGER)[-1]["text"]


async def test_plain_group_chatter_never_reaches_the_bot(world):
    await world.all_handled(world.fake.add_bot_to_group(SUMBER_GROUP, KETUA))
    assert world.fake.send_text(ANGGOTA, SUMBER_GROUP, "halo semua") is None


async def test_after_approval_the_group_is_told_what_to_do_next_and_its_help_follows(world):
    from tests.test_registration import approve_sumber

    await approve_sumber(world)
    approved = next(
        m["text"] for m in world.fake.messages(SUMBER_GROUP) if "Pendaftaran disetujui" in m.get("text", "")
    )
    assert approved == (
        "✅ Pendaftaran disetujui. Grup ini sekarang terdaftar sebagai grup Karang Taruna Kecamatan Sumber.\n\n"
        "Yang perlu dilakukan grup ini:\n"
        "• Setelah setiap kegiatan, ketik /laporan untuk mengirim laporan kegiatan.\n"
        "• Setiap minggu, ketik /evaluasi untuk mengisi evaluasi mingguan, paling lambat hari Minggu pukul "
        "23.59 WIB. Bila belum terisi, bot mengirim pengingat setiap Jumat pukul 09.00 WIB.\n"
        "• Pengumuman dari Dinsos masuk ke grup ini; mohon tekan Sudah dibaca setelah membacanya.\n"
        "Pengisian berlangsung di chat pribadi dengan bot. Ketik /bantuan untuk petunjuk lengkap."
    )
    await world.say(ANGGOTA, SUMBER_GROUP, "/bantuan")
    help_text = world.fake.messages(SUMBER_GROUP)[-1]["text"]
    assert "terdaftar untuk Kecamatan Sumber" in help_text and "/laporan" in help_text and "/evaluasi" in help_text
    assert "/daftar" not in help_text


async def test_free_text_in_private_is_said_plainly_not_to_reach_dinsos(world):
    await world.say(STRANGER, STRANGER, "halo, ini bagaimana cara kirim laporan?")
    reply = world.fake.messages(STRANGER)[-1]
    assert reply["text"].startswith("Pesan ini belum diteruskan ke Dinas Sosial") and "/laporan" in reply["text"]
    assert "Terima kasih atas pesannya" not in reply["text"]
    await world.press(STRANGER, reply, reply["reply_markup"]["inline_keyboard"][0][0]["callback_data"])
    assert "hanya untuk anggota grup" in world.fake.calls("answerCallbackQuery")[-1].params["text"]
    assert not any("Pertanyaan dari" in m.get("text", "") for m in world.fake.messages(ADMIN_1))
    await world.say(ADMIN_1, ADMIN_1, "coba")
    assert "/pengumuman" in world.fake.messages(ADMIN_1)[-1]["text"]


async def test_a_members_question_goes_to_dinsos_once_after_confirming_and_the_answer_comes_back(world):
    from tests.test_registration import approve_sumber

    await approve_sumber(world)
    question = await world.say(ANGGOTA, ANGGOTA, "Kapan batas laporan bulan ini?")
    hint = world.fake.messages(ANGGOTA)[-1]
    assert not any("Pertanyaan dari" in m.get("text", "") for m in world.fake.messages(ADMIN_1))
    data = hint["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    await world.press(ANGGOTA, hint, data)
    await world.press(ANGGOTA, hint, data)
    assert "sudah diteruskan" in world.fake.calls("answerCallbackQuery")[-1].params["text"]
    assert world.fake.messages(ANGGOTA)[-1]["text"].startswith("Pertanyaan Anda sudah diteruskan")
    headers = [m for m in world.fake.messages(ADMIN_1) if m.get("text", "").startswith("❓ Pertanyaan dari Dewi")]
    assert len(headers) == 1 and "Kecamatan Sumber" in headers[0]["text"]
    assert world.fake.messages(ADMIN_1)[-1]["text"] == "Kapan batas laporan bulan ini?"
    await world.say(ADMIN_1, ADMIN_1, "Tanggal 5 setiap bulan", reply_to_message_id=headers[0]["message_id"])
    assert world.fake.messages(ADMIN_1)[-1]["text"] == "Jawaban terkirim."
    answer_head, answer = world.fake.messages(ANGGOTA)[-2:]
    assert answer_head["text"] == "💬 Dinas Sosial menjawab:"
    assert answer_head["reply_to_message"]["message_id"] == question["message"]["message_id"]
    assert answer["text"] == "Tanggal 5 setiap bulan"


async def test_a_button_that_no_longer_works_says_what_to_do_instead(world):
    await world.say(STRANGER, STRANGER, "/bantuan")
    await world.press(STRANGER, world.fake.messages(STRANGER)[-1], "zz:tidak-ada")
    refusal = world.fake.calls("answerCallbackQuery")[-1].params["text"]
    assert refusal.startswith("Tombol ini sudah tidak berlaku.") and "/bantuan" in refusal
