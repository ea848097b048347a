"""The Bot API methods the fake implements, as a mixin of ``FakeTelegram``.

Each ``api_<method>`` coroutine gets the request's decoded, already-validated params and returns the
``result`` or raises ``ApiError`` with Telegram's exact description. State lives in ``self.world``
(see world.py); the update queue, callback queries and commands live on the FakeTelegram itself.
"""

import asyncio
import contextvars
import itertools
import logging
import time
from typing import Any

from tests.support.bot_api_spec import UploadedFile, parse_formatted
from tests.support.world import MAX_DOWNLOAD_SIZE, ApiError, ChatState, StoredFile, bad_request, now, snapshot

logger = logging.getLogger(__name__)

# Whether the client of the request being served is still connected (a long poll outlives a stopped bot).
client_connected: contextvars.ContextVar = contextvars.ContextVar("client_connected", default=lambda: True)

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the same as a "
    "current content and reply markup of the message"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
GET_UPDATES_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)
LONG_POLL_MAX_TIMEOUT = 50
# Updates Telegram leaves out unless allowed_updates names them explicitly.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
MEDIA_KINDS = ("photo", "document", "video", "audio", "voice", "animation", "sticker")
CONTENT_KEYS = ("text", "entities", "caption", "caption_entities", "contact", "location", *MEDIA_KINDS)
CHAT_ACTIONS = frozenset(
    "typing upload_photo record_video upload_video record_voice upload_voice upload_document choose_sticker "
    "find_location record_video_note upload_video_note".split()
)


class Unsupported(ApiError):
    """A valid request the fake cannot serve; it is also recorded as a violation so tests notice."""

    def __init__(self, what: str):
        super().__init__(400, f"Bad Request: fake server does not implement {what}")


class BotApiMethods:
    """Bot API method handlers; mixed into FakeTelegram."""

    _media_group_ids = itertools.count(13_000_000_000_000_000)

    # ------------------------------------------------------------ helpers

    def _formatted(self, text: str, parse_mode: str | None, entities: list | None) -> tuple[str, list[dict]]:
        """Plain text and entities as Telegram stores them (the validator already rejected bad markup)."""
        return parse_formatted(text, parse_mode, entities)

    def _text_fields(self, p: dict, key: str = "text", entities_key: str = "entities") -> dict:
        """{"text": ..., "entities": [...]} (or caption/caption_entities) from request params."""
        if key not in p:
            return {}
        mode = p.get("parse_mode")
        plain, entities = self._formatted(p[key], mode, p.get(entities_key) if not mode else None)
        out: dict = {key: plain}
        if entities:
            out[entities_key] = entities
        return out

    def _apply_markup(self, chat: ChatState, markup: dict | None, fields: dict) -> None:
        """Inline keyboards stay on the message; reply keyboards are chat state the client shows."""
        if not markup:
            return
        if "inline_keyboard" in markup:
            fields["reply_markup"] = markup
        elif "remove_keyboard" in markup:
            chat.reply_keyboard = None
        else:
            chat.reply_keyboard = markup

    def _apply_reply(self, chat: ChatState, p: dict, fields: dict) -> None:
        """reply_parameters -> reply_to_message, or 400 when the message is gone."""
        reply = p.get("reply_parameters")
        if not reply:
            return
        target = chat
        if reply.get("chat_id") not in (None, chat.id):
            target = self.world.require_access(reply["chat_id"], send=False)
        original = self.world.find_message(target, reply["message_id"])
        if original is None:
            if reply.get("allow_sending_without_reply"):
                return
            raise bad_request("message to be replied not found")
        quoted = snapshot(original)
        quoted.pop("reply_to_message", None)
        fields["reply_to_message" if target is chat else "external_reply"] = (
            quoted if target is chat else {"origin": _origin(original), "chat": target.chat_dict()}
        )

    def _bot_message(self, chat: ChatState, fields: dict, p: dict) -> dict:
        """Store a message the bot sent and return what Telegram answers."""
        fields = dict(fields)
        self._apply_reply(chat, p, fields)
        self._apply_markup(chat, p.get("reply_markup"), fields)
        if p.get("protect_content"):
            fields["has_protected_content"] = True
        message = self.world.new_message(chat, self.world.bot_user_public(), fields)
        logger.debug("bot -> %s: %s", chat.id, fields.get("text") or fields.get("caption") or list(fields))
        return snapshot(message)

    def _input_file(self, value: Any, kind: str, p: dict) -> StoredFile:
        """An InputFile param: an upload, attach://name, a known file_id or an HTTP URL."""
        if isinstance(value, str) and value.startswith("attach://"):
            value = p.get(value.removeprefix("attach://"))
        if isinstance(value, UploadedFile):
            return self.world.store_file(value.data, kind, file_name=value.filename, mime_type=value.content_type)
        if isinstance(value, str) and value in self.world.files:
            return self.world.files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            # No network here: the fake pretends it downloaded an empty file.
            name = value.rsplit("/", 1)[-1] or None
            return self.world.store_file(b"", kind, file_name=name)
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _editable(self, p: dict) -> tuple[ChatState, dict]:
        """The bot's own message an edit targets."""
        if "inline_message_id" in p:
            raise Unsupported("inline messages (inline_message_id)")
        chat = self.world.require_access(p["chat_id"], send=True)
        message = self.world.find_message(chat, p["message_id"])
        if message is None:
            raise bad_request("message to edit not found")
        if message.get("from", {}).get("id") != self.world.bot_user["id"]:
            raise bad_request("message can't be edited")
        return chat, message

    def _apply_edit(self, message: dict, new: dict) -> dict:
        """Replace the given keys (None removes); identical content is Telegram's 'not modified' 400."""
        if all(message.get(k) == v for k, v in new.items()):
            raise bad_request(NOT_MODIFIED)
        for key, value in new.items():
            if value is None:
                message.pop(key, None)
            else:
                message[key] = value
        message["edit_date"] = now()
        return snapshot(message)

    def _scope_key(self, scope: dict | None, *, check: bool) -> tuple:
        """A hashable key for a BotCommandScope; chat scopes name the resolved chat."""
        scope = scope or {"type": "default"}
        key: tuple = (scope["type"],)
        if "chat_id" in scope:
            chat = (
                self.world.require_access(scope["chat_id"], send=False)
                if check
                else self.world.chats.get(scope["chat_id"])
            )
            key += (chat.id if chat else scope["chat_id"],)
        if "user_id" in scope:
            key += (scope["user_id"],)
        return key

    # ------------------------------------------------------------ bot & updates

    async def api_getMe(self, p: dict) -> dict:
        """The bot's User with the getMe-only capability flags."""
        return dict(self.world.bot_user)

    async def api_getUpdates(self, p: dict) -> list[dict]:
        """Confirm by offset, return up to limit updates, long-poll up to timeout seconds."""
        if self._webhook_url:
            raise ApiError(409, WEBHOOK_CONFLICT)
        if "allowed_updates" in p:
            self._allowed_updates = list(p["allowed_updates"])
        self._confirm(p.get("offset"))
        limit = min(max(p.get("limit", 100), 1), 100)
        timeout = min(max(p.get("timeout", 0), 0), LONG_POLL_MAX_TIMEOUT)
        self._poll_generation += 1
        generation = self._poll_generation
        self._updates_signal.set()  # wake (and so terminate) an older long poll
        self._updates_signal = asyncio.Event()
        if not self._pending_updates and not self._redeliveries and timeout > 0:
            await self._long_poll(generation, time.monotonic() + timeout)
        if not client_connected.get()():
            return []  # the poller is gone (a stopped bot): hand nothing over, keep redeliveries
        batch = (self._redeliveries + self._pending_updates)[:limit]
        self._redeliveries = self._redeliveries[len(batch) :]
        return [snapshot(u) for u in batch]

    async def _long_poll(self, generation: int, deadline: float) -> None:
        """Wait for an update, the deadline, server stop, or a newer getUpdates (-> 409)."""
        self.polls_waiting += 1
        await self._notify()  # lets tests wait_for(lambda: fake.polls_waiting == 1)
        try:
            while not (self._pending_updates or self._redeliveries or self._closing):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return
                try:
                    await asyncio.wait_for(self._updates_signal.wait(), remaining)
                except TimeoutError:
                    return
                if generation != self._poll_generation:
                    raise ApiError(409, GET_UPDATES_CONFLICT)
        finally:
            self.polls_waiting -= 1

    def _confirm(self, offset: int | None) -> None:
        """offset confirms (drops) earlier updates; a negative one keeps only the last -offset."""
        if offset is None:
            return
        if offset < 0:
            self._pending_updates = self._pending_updates[offset:]
        else:
            self._pending_updates = [u for u in self._pending_updates if u["update_id"] >= offset]

    async def api_setWebhook(self, p: dict) -> bool:
        """Remember the URL (nothing is delivered to it); getUpdates then answers 409."""
        self._webhook_url = p["url"]
        if "allowed_updates" in p:
            self._allowed_updates = list(p["allowed_updates"])
        if p.get("drop_pending_updates"):
            self._pending_updates.clear()
        return True

    async def api_deleteWebhook(self, p: dict) -> bool:
        """Forget the webhook; drop_pending_updates clears the queue."""
        self._webhook_url = ""
        if p.get("drop_pending_updates"):
            self._pending_updates.clear()
        return True

    async def api_getWebhookInfo(self, p: dict) -> dict:
        """WebhookInfo with the pending update count."""
        info = {
            "url": self._webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending_updates),
        }
        if self._allowed_updates is not None:
            info["allowed_updates"] = list(self._allowed_updates)
        return info

    # ------------------------------------------------------------ commands

    async def api_setMyCommands(self, p: dict) -> bool:
        """Store commands per scope and language."""
        key = (self._scope_key(p.get("scope"), check=True), p.get("language_code", ""))
        self._commands[key] = [dict(c) for c in p["commands"]]
        return True

    async def api_getMyCommands(self, p: dict) -> list[dict]:
        """Commands for exactly this scope and language ([] when none)."""
        key = (self._scope_key(p.get("scope"), check=True), p.get("language_code", ""))
        return [dict(c) for c in self._commands.get(key, [])]

    async def api_deleteMyCommands(self, p: dict) -> bool:
        """Remove the commands of this scope and language."""
        self._commands.pop((self._scope_key(p.get("scope"), check=True), p.get("language_code", "")), None)
        return True

    # ------------------------------------------------------------ sending

    async def api_sendMessage(self, p: dict) -> dict:
        """A text message."""
        chat = self.world.require_access(p["chat_id"], send=True)
        return self._bot_message(chat, self._text_fields(p), p)

    async def _send_media(self, kind: str, p: dict) -> dict:
        """sendPhoto, sendDocument and friends."""
        chat = self.world.require_access(p["chat_id"], send=True)
        stored = self._input_file(p[kind], kind, p)
        fields = {kind: stored.media_dict()}
        fields.update(self._text_fields(p, "caption", "caption_entities"))
        return self._bot_message(chat, fields, p)

    async def api_sendPhoto(self, p: dict) -> dict:
        """A photo (PhotoSize list in the message)."""
        return await self._send_media("photo", p)

    async def api_sendDocument(self, p: dict) -> dict:
        """A document."""
        return await self._send_media("document", p)

    async def api_sendVideo(self, p: dict) -> dict:
        """A video."""
        return await self._send_media("video", p)

    async def api_sendAudio(self, p: dict) -> dict:
        """An audio file."""
        return await self._send_media("audio", p)

    async def api_sendVoice(self, p: dict) -> dict:
        """A voice note."""
        return await self._send_media("voice", p)

    async def api_sendAnimation(self, p: dict) -> dict:
        """A GIF/animation."""
        return await self._send_media("animation", p)

    async def api_sendSticker(self, p: dict) -> dict:
        """A sticker."""
        return await self._send_media("sticker", p)

    async def api_sendMediaGroup(self, p: dict) -> list[dict]:
        """An album: one message per item, sharing a media_group_id."""
        chat = self.world.require_access(p["chat_id"], send=True)
        group_id = str(next(self._media_group_ids))
        prepared = []
        for item in p["media"]:
            stored = self._input_file(item["media"], item["type"], p)
            fields = {item["type"]: stored.media_dict(), "media_group_id": group_id}
            fields.update(self._text_fields(item, "caption", "caption_entities"))
            prepared.append(fields)
        return [self._bot_message(chat, fields, p) for fields in prepared]

    async def api_sendChatAction(self, p: dict) -> bool:
        """'typing...' and friends; recorded in chat_actions."""
        chat = self.world.require_access(p["chat_id"], send=True)
        if p["action"] not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self.chat_actions.append((chat.id, p["action"]))
        return True

    async def api_copyMessage(self, p: dict) -> dict:
        """A copy without a link to the original; returns MessageId."""
        source = self.world.require_access(p["from_chat_id"], send=False)
        original = self.world.find_message(source, p["message_id"])
        if original is None:
            raise bad_request("message to copy not found")
        fields = {k: snapshot(original[k]) for k in CONTENT_KEYS if k in original}
        if not fields:
            raise bad_request("message can't be copied")
        if "caption" in p:
            fields.pop("caption_entities", None)
            fields.update(self._text_fields(p, "caption", "caption_entities"))
        target = self.world.require_access(p["chat_id"], send=True)
        return {"message_id": self._bot_message(target, fields, p)["message_id"]}

    async def api_forwardMessage(self, p: dict) -> dict:
        """A forward with forward_origin; inline keyboards are not forwarded."""
        source = self.world.require_access(p["from_chat_id"], send=False)
        original = self.world.find_message(source, p["message_id"])
        if original is None:
            raise bad_request("message to forward not found")
        fields = {k: snapshot(original[k]) for k in CONTENT_KEYS if k in original}
        if not fields:
            raise bad_request("message can't be forwarded")
        fields["forward_origin"] = _origin(original)
        target = self.world.require_access(p["chat_id"], send=True)
        return self._bot_message(target, fields, {k: v for k, v in p.items() if k != "reply_markup"})

    # ------------------------------------------------------------ editing & deleting

    async def api_editMessageText(self, p: dict) -> dict:
        """New text; omitting reply_markup removes the inline keyboard, as on Telegram."""
        if "text" not in p:
            raise Unsupported("editMessageText without text (rich_message)")
        _, message = self._editable(p)
        if "text" not in message:
            raise bad_request("there is no text in the message to edit")
        fields = self._text_fields(p)
        new = {
            "text": fields["text"],
            "entities": fields.get("entities"),
            "reply_markup": p.get("reply_markup"),
        }
        return self._apply_edit(message, new)

    async def api_editMessageCaption(self, p: dict) -> dict:
        """New caption (omitted = removed) and inline keyboard."""
        _, message = self._editable(p)
        if not any(k in message for k in MEDIA_KINDS if k != "sticker"):
            raise bad_request("there is no caption in the message to edit")
        fields = self._text_fields(p, "caption", "caption_entities")
        new = {
            "caption": fields.get("caption") or None,
            "caption_entities": fields.get("caption_entities"),
            "reply_markup": p.get("reply_markup"),
        }
        return self._apply_edit(message, new)

    async def api_editMessageReplyMarkup(self, p: dict) -> dict:
        """New inline keyboard (omitted = removed)."""
        _, message = self._editable(p)
        return self._apply_edit(message, {"reply_markup": p.get("reply_markup")})

    async def api_deleteMessage(self, p: dict) -> bool:
        """Delete; others' messages in groups need the bot to be an admin."""
        chat = self.world.require_access(p["chat_id"], send=False)
        message = self.world.find_message(chat, p["message_id"])
        if message is None:
            raise bad_request("message to delete not found")
        own = message.get("from", {}).get("id") == self.world.bot_user["id"]
        if chat.is_group and not own and chat.bot_status != "administrator":
            raise bad_request("message can't be deleted")
        chat.deleted.add(message["message_id"])
        return True

    # ------------------------------------------------------------ callback queries

    async def api_answerCallbackQuery(self, p: dict) -> bool:
        """Each query can be answered once; unknown ids are 'too old'."""
        query = self._callback_queries.get(p["callback_query_id"])
        if query is None or query["answered"]:
            raise bad_request(QUERY_TOO_OLD)
        query["answered"] = True
        query["answer"] = dict(p)
        return True

    # ------------------------------------------------------------ chats & members

    async def api_getChat(self, p: dict) -> dict:
        """ChatFullInfo with the fields the spec requires."""
        chat = self.world.require_access(p["chat_id"], send=False)
        info = chat.chat_dict()
        info.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": True,
                "limited_gifts": True,
                "unique_gifts": True,
                "premium_subscription": True,
                "gifts_from_channels": True,
            },
        )
        return info

    async def api_getChatMember(self, p: dict) -> dict:
        """The user's ChatMember from the world; users not in the chat are 'left'."""
        chat = self.world.require_access(p["chat_id"], send=False)
        return self.world.member_dict(chat, p["user_id"])

    async def api_getChatAdministrators(self, p: dict) -> list[dict]:
        """Creator and administrators (the bot too when it is one)."""
        chat = self.world.require_access(p["chat_id"], send=False)
        if not chat.is_group:
            raise bad_request("there are no administrators in the private chat")
        ids = [uid for uid, status in chat.members.items() if status in ("creator", "administrator")]
        if chat.bot_status == "administrator":
            ids.append(self.world.bot_user["id"])
        return [self.world.member_dict(chat, uid) for uid in ids]

    async def api_getChatMemberCount(self, p: dict) -> int:
        """Members present, the bot included."""
        chat = self.world.require_access(p["chat_id"], send=False)
        if not chat.is_group:
            return 2
        present = [s for s in chat.members.values() if s in ("creator", "administrator", "member", "restricted")]
        return len(present) + (1 if chat.bot_present() else 0)

    async def api_leaveChat(self, p: dict) -> bool:
        """The bot leaves a group; Telegram then sends it a my_chat_member update."""
        chat = self.world.require_access(p["chat_id"], send=False)
        if not chat.is_group:
            raise bad_request("chat member status can't be changed in private chats")
        self._bot_membership_update(chat, self.world.bot_user_public(), "left")
        return True

    # ------------------------------------------------------------ files

    async def api_getFile(self, p: dict) -> dict:
        """File info with a path under /file/bot<token>/."""
        stored = self.world.files.get(p["file_id"])
        if stored is None:
            raise bad_request("invalid file_id")
        if len(stored.data) > MAX_DOWNLOAD_SIZE:
            raise bad_request("file is too big")
        return stored.file_dict()


def _origin(message: dict) -> dict:
    """MessageOrigin for forwarding/quoting a message."""
    sender = message.get("from")
    if sender:
        return {"type": "user", "sender_user": dict(sender), "date": message["date"]}
    return {"type": "chat", "sender_chat": dict(message["chat"]), "date": message["date"]}
