"""What users do on the fake Telegram: write, press buttons, add/remove/block the bot, upgrade groups.

A mixin of ``FakeTelegram``. Each action changes the world and queues the Update Telegram would deliver
(returning it), or returns None when Telegram would not deliver it to the bot (privacy mode, the bot not
in the group). Impossible actions (unknown user, a user writing in a group they are not in, pressing a
button that is not there) raise ValueError: that is a bug in the test, not a bot behaviour.
"""

import itertools
import logging
import re
from typing import Any

from tests.support.tg_html import utf16_len
from tests.support.world import PRESENT_STATUSES, ChatState, now, snapshot

logger = logging.getLogger(__name__)

_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_MENTION_RE = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{5,32}")
_SERVICE_KEYS = frozenset(
    {
        "new_chat_members",
        "left_chat_member",
        "migrate_to_chat_id",
        "migrate_from_chat_id",
        "group_chat_created",
    }
)


def user_entities(text: str) -> list[dict]:
    """The entities Telegram's clients attach: a leading bot_command and @mentions."""
    entities = []
    command = _COMMAND_RE.match(text)
    if command:
        entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(command.group())})
    for mention in _MENTION_RE.finditer(text):
        entities.append(
            {
                "type": "mention",
                "offset": utf16_len(text[: mention.start()]),
                "length": utf16_len(mention.group()),
            }
        )
    return entities


def chat_instance(chat_id: int) -> str:
    """A stable opaque chat_instance per chat, like Telegram's."""
    return str((chat_id * 2_654_435_761) % (2**62))


class UserActions:
    """World building and user-side actions; mixed into FakeTelegram."""

    _query_ids = itertools.count(4_300_000_000_000_000_001)

    # ------------------------------------------------------------ world building

    def add_user(
        self,
        user_id: int,
        first_name: str,
        *,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str | None = None,
    ) -> dict:
        """A Telegram user (and their private chat, which the bot cannot use until they write)."""
        return self.world.add_user(
            user_id, first_name, last_name=last_name, username=username, language_code=language_code
        )

    def add_group(
        self, chat_id: int, title: str, *, supergroup: bool = False, members: dict[int, str] | None = None
    ) -> dict:
        """A group (negative id) or supergroup (-100...) with members' statuses; the bot is not in it."""
        return self.world.add_group(chat_id, title, supergroup=supergroup, members=members or {}).chat_dict()

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        """Change a user's status in a group (use add/remove_bot_from_group for the bot)."""
        if user_id == self.world.bot_user["id"]:
            raise ValueError("use add_bot_to_group/remove_bot_from_group for the bot's own membership")
        self.world.set_member_status(chat_id, user_id, status)

    def new_file(
        self,
        data: bytes,
        kind: str = "document",
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
    ) -> Any:
        """Store a file a user is about to send; returns the message field (PhotoSize list for photos)."""
        return self.world.store_file(data, kind, file_name=file_name, mime_type=mime_type).media_dict()

    # ------------------------------------------------------------ messages

    def send_text(
        self, user_id: int, chat_id: int, text: str, *, reply_to_message_id: int | None = None
    ) -> dict | None:
        """A user writes text; in groups privacy mode decides whether the bot gets it."""
        return self.send_message(user_id, chat_id, text=text, reply_to_message_id=reply_to_message_id)

    def user_starts_bot(self, user_id: int, payload: str | None = None) -> dict | None:
        """The user presses Start (optionally via a t.me/<bot>?start=<payload> deep link)."""
        return self.send_text(user_id, user_id, "/start" + (f" {payload}" if payload else ""))

    def send_message(
        self, user_id: int, chat_id: int, *, reply_to_message_id: int | None = None, **fields: Any
    ) -> dict | None:
        """A user sends any message (text=, photo=, document=, caption=, contact=...)."""
        message, delivered = self._user_message(user_id, chat_id, reply_to_message_id, fields)
        if not delivered:
            logger.debug("not delivered to the bot (privacy mode / not a member): %s", message)
            self.undelivered.append(snapshot(message))
            return None
        return self._queue_update("message", message)

    def build_text_update(
        self, user_id: int, chat_id: int, text: str, *, reply_to_message_id: int | None = None
    ) -> dict:
        """The Update a user's text would produce, NOT queued: one an earlier bot process confirmed."""
        message, delivered = self._user_message(user_id, chat_id, reply_to_message_id, {"text": text})
        if not delivered:
            raise ValueError("Telegram would not deliver this message to the bot (privacy mode / not a member)")
        return self._make_update("message", message)

    def _user_message(
        self, user_id: int, chat_id: int, reply_to_message_id: int | None, fields: dict[str, Any]
    ) -> tuple[dict, bool]:
        """Store a user's message; return it and whether the bot receives it."""
        user = self.world.user(user_id)
        chat = self._writable_chat(user_id, chat_id)
        fields = dict(fields)
        if "text" in fields and "entities" not in fields:
            fields["entities"] = user_entities(fields["text"])
        if "caption" in fields and "caption_entities" not in fields:
            fields["caption_entities"] = user_entities(fields["caption"])
        fields = {k: v for k, v in fields.items() if v not in (None, [])}
        if reply_to_message_id is not None:
            original = self.world.find_message(chat, reply_to_message_id)
            if original is None:
                raise ValueError(f"no message {reply_to_message_id} in chat {chat_id} to reply to")
            quoted = snapshot(original)
            quoted.pop("reply_to_message", None)
            fields["reply_to_message"] = quoted
        if chat.type == "private":
            if chat.blocked:
                self.unblock_bot(user_id)  # the client's "Restart" unblocks first
            chat.started = True
        message = self.world.new_message(chat, user, fields)
        return message, self._bot_receives(chat, message)

    def _writable_chat(self, user_id: int, chat_id: int) -> ChatState:
        """The chat a user can write in, or ValueError."""
        chat = self.world.chat(chat_id)
        if chat.migrated_to is not None:
            raise ValueError(f"group {chat_id} was migrated to {chat.migrated_to}; write there")
        if chat.type == "private" and chat_id != user_id:
            raise ValueError(f"user {user_id} cannot write in the private chat of {chat_id}")
        if chat.is_group and self.world.member_status(chat, user_id) not in PRESENT_STATUSES:
            raise ValueError(f"user {user_id} is not a member of {chat_id}")
        return chat

    def _bot_receives(self, chat: ChatState, message: dict) -> bool:
        """Privacy mode: in groups only commands, replies to the bot, mentions and service messages."""
        if chat.type == "private":
            return True
        if not chat.bot_present():
            return False
        if chat.bot_status == "administrator" or _SERVICE_KEYS & message.keys():
            return True  # "bot admins always receive all messages"
        username = self.world.bot_user["username"].lower()
        text = message.get("text", "")
        command = _COMMAND_RE.match(text)
        if command:
            _, _, target = command.group().partition("@")
            return not target or target.lower() == username
        replied = message.get("reply_to_message", {}).get("from", {})
        if replied.get("id") == self.world.bot_user["id"]:
            return True
        visible = f"{text} {message.get('caption', '')}"
        return any(m.group()[1:].lower() == username for m in _MENTION_RE.finditer(visible))

    # ------------------------------------------------------------ buttons

    def press_button(self, user_id: int, message: dict, data: str, *, strict: bool = False) -> dict:
        """A user presses an inline button of a bot message (pass the message dict the fake returned).

        By default the data need not be on the message's current keyboard and the presser need not see
        the chat: stale presses (a double tap racing an edit) and forged data from modified clients are
        things a bot must survive. ``strict=True`` demands a real, visible, current button.
        """
        user = self.world.user(user_id)
        chat = self.world.chat(message["chat"]["id"])
        current = self.world.find_message(chat, message["message_id"])
        if current is None or current.get("from", {}).get("id") != self.world.bot_user["id"]:
            raise ValueError(f"bot message {message['message_id']} is not in chat {chat.id} (deleted?)")
        if strict and chat.type == "private" and chat.id != user_id:
            raise ValueError(f"user {user_id} cannot see private chat {chat.id}")
        if strict:
            rows = current.get("reply_markup", {}).get("inline_keyboard", [])
            datas = [button.get("callback_data") for row in rows for button in row]
            if data not in datas:
                raise ValueError(f"message {current['message_id']} has no button with callback_data {data!r}: {datas}")
        query_id = str(next(self._query_ids))
        self._callback_queries[query_id] = {"answered": False, "answer": None}
        query = {
            "id": query_id,
            "from": dict(user),
            "message": snapshot(current),
            "chat_instance": chat_instance(chat.id),
            "data": data,
        }
        return self._queue_update("callback_query", query)

    # ------------------------------------------------------------ the bot's membership

    def _bot_membership_update(self, chat: ChatState, actor: dict, new_status: str) -> dict | None:
        """Change the bot's status in a chat and queue the my_chat_member update."""
        bot_id = self.world.bot_user["id"]
        old = self.world.member_dict(chat, bot_id)
        if chat.is_group:
            chat.bot_status = new_status
            chat.bot_ever_member |= new_status in ("member", "administrator")
        else:
            chat.blocked = new_status == "kicked"
        payload = {
            "chat": chat.chat_dict(),
            "from": dict(actor),
            "date": now(),
            "old_chat_member": old,
            "new_chat_member": self.world.member_dict(chat, bot_id),
        }
        return self._queue_update("my_chat_member", payload)

    def _acting_member(self, chat: ChatState, user_id: int) -> dict:
        """A user who is present in the group (to add/remove the bot)."""
        if chat.migrated_to is not None:
            raise ValueError(f"group {chat.id} was migrated to {chat.migrated_to}")
        if self.world.member_status(chat, user_id) not in PRESENT_STATUSES:
            raise ValueError(f"user {user_id} is not a member of {chat.id}")
        return self.world.user(user_id)

    def add_bot_to_group(self, chat_id: int, by_user_id: int, *, as_admin: bool = False) -> list[dict]:
        """A member adds the bot: my_chat_member plus a new_chat_members service message."""
        chat = self.world.group(chat_id)
        actor = self._acting_member(chat, by_user_id)
        if chat.bot_present():
            raise ValueError(f"the bot is already in {chat_id}")
        updates = [self._bot_membership_update(chat, actor, "administrator" if as_admin else "member")]
        message = self.world.new_message(chat, actor, {"new_chat_members": [self.world.bot_user_public()]})
        updates.append(self._queue_update("message", message))
        return [u for u in updates if u is not None]

    def remove_bot_from_group(self, chat_id: int, by_user_id: int, *, kicked: bool = True) -> list[dict]:
        """A member removes the bot (kicked=True bans it): my_chat_member plus a left_chat_member message."""
        chat = self.world.group(chat_id)
        actor = self._acting_member(chat, by_user_id)
        if not chat.bot_present():
            raise ValueError(f"the bot is not in {chat_id}")
        updates = [self._bot_membership_update(chat, actor, "kicked" if kicked else "left")]
        message = self.world.new_message(chat, actor, {"left_chat_member": self.world.bot_user_public()})
        updates.append(self._queue_update("message", message))
        return [u for u in updates if u is not None]

    def migrate_group(self, chat_id: int, new_chat_id: int, *, by_user_id: int | None = None) -> list[dict]:
        """Upgrade a basic group to a supergroup the way Telegram does it (two service messages)."""
        old = self.world.group(chat_id)
        if old.type != "group" or old.migrated_to is not None:
            raise ValueError(f"{chat_id} is not a basic group that can be upgraded")
        if by_user_id is None:
            by_user_id = next((u for u, s in old.members.items() if s == "creator"), None)
            if by_user_id is None:
                raise ValueError("no creator to upgrade the group; pass by_user_id")
        actor = self._acting_member(old, by_user_id)
        new = self.world.add_group(new_chat_id, old.title, supergroup=True, members=dict(old.members))
        new.bot_status, new.bot_ever_member = old.bot_status, old.bot_ever_member
        first = self.world.new_message(old, actor, {"migrate_to_chat_id": new_chat_id})
        old.migrated_to = new_chat_id
        second = self.world.new_message(new, actor, {"migrate_from_chat_id": chat_id})
        if not old.bot_present():
            return []
        return [u for u in (self._queue_update("message", first), self._queue_update("message", second)) if u]

    def block_bot(self, user_id: int) -> dict | None:
        """The user blocks the bot: my_chat_member member -> kicked; later sends get 403."""
        chat = self.world.chat(self.world.user(user_id)["id"])
        if chat.blocked:
            raise ValueError(f"user {user_id} already blocked the bot")
        return self._bot_membership_update(chat, self.world.user(user_id), "kicked")

    def unblock_bot(self, user_id: int) -> dict | None:
        """The user unblocks the bot: my_chat_member kicked -> member."""
        chat = self.world.chat(self.world.user(user_id)["id"])
        if not chat.blocked:
            raise ValueError(f"user {user_id} has not blocked the bot")
        return self._bot_membership_update(chat, self.world.user(user_id), "member")
