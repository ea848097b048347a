"""The bot never crashes on an update it receives: odd, partial or unexpected updates are survived quietly."""

from __future__ import annotations

import logging

from tests.conftest import ANGGOTA, KETUA, STRANGER, SUMBER_GROUP

USER = {"id": STRANGER, "is_bot": False, "first_name": "Orang"}
PRIVATE = {"id": STRANGER, "type": "private", "first_name": "Orang"}
CHANNEL = {"id": -1007777, "type": "channel", "title": "Kanal Info"}

ODD_UPDATES = [
    ("edited_message", {"message_id": 1, "date": 0, "edit_date": 1, "chat": PRIVATE, "from": USER, "text": "x"}),
    ("channel_post", {"message_id": 2, "date": 0, "chat": CHANNEL, "text": "/daftar Sumber"}),
    ("message", {"message_id": 3, "date": 0, "chat": PRIVATE, "from": USER}),
    ("message", {"message_id": 4, "date": 0, "chat": PRIVATE, "from": USER, "text": "/daftar@dinsos_kt_bot"}),
    (
        "my_chat_member",
        {
            "chat": CHANNEL,
            "from": USER,
            "date": 0,
            "old_chat_member": {"status": "left", "user": {"id": 999000, "is_bot": True, "first_name": "Bot"}},
            "new_chat_member": {
                "status": "administrator",
                "user": {"id": 999000, "is_bot": True, "first_name": "Bot"},
                "can_be_edited": False,
                "is_anonymous": False,
                "can_manage_chat": True,
                "can_delete_messages": True,
                "can_manage_video_chats": True,
                "can_restrict_members": True,
                "can_promote_members": False,
                "can_change_info": True,
                "can_invite_users": True,
                "can_post_stories": False,
                "can_edit_stories": False,
                "can_delete_stories": False,
            },
        },
    ),
]


async def test_odd_updates_are_handled_without_errors_and_the_bot_keeps_answering(world, caplog):
    caplog.set_level(logging.ERROR)
    await world.say(STRANGER, STRANGER, "/start")
    for kind, payload in ODD_UPDATES:
        await world.bot.handled(world.fake.deliver_raw(kind, payload))
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    await world.all_handled(world.fake.add_bot_to_group(SUMBER_GROUP, KETUA))
    await world.say(ANGGOTA, SUMBER_GROUP, "/bantuan")
    assert "/daftar" in world.fake.messages(SUMBER_GROUP)[-1]["text"]
