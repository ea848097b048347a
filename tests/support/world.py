"""The fake Telegram's world: users, chats, memberships, messages and stored files.

Everything here is plain data plus the access rules Telegram applies before a bot may act in a chat.
Objects handed out are built fresh (``chat_dict``, ``member_dict``) or deep-copied, so a test can never
change the world by mutating a returned dict.
"""

import copy
import itertools
import logging
import time
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)

MEMBER_STATUSES = ("creator", "administrator", "member", "restricted", "left", "kicked")
PRESENT_STATUSES = frozenset({"creator", "administrator", "member", "restricted"})
MAX_DOWNLOAD_SIZE = 20 * 1024 * 1024  # getFile limit of the cloud Bot API


class ApiError(Exception):
    """An error answer of the Bot API: error_code, exact description, optional parameters."""

    def __init__(self, error_code: int, description: str, parameters: dict | None = None):
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters


def bad_request(what: str) -> ApiError:
    """A 400 with Telegram's "Bad Request: " prefix."""
    return ApiError(400, f"Bad Request: {what}")


def now() -> int:
    """Telegram dates are Unix seconds."""
    return int(time.time())


@dataclass
class StoredFile:
    """A file Telegram keeps: uploaded by the bot or sent by a user."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    kind: str  # photo, document, video, audio, voice, animation, sticker
    file_name: str | None = None
    mime_type: str | None = None

    def file_dict(self) -> dict:
        """The File object getFile returns (before PTB prefixes the download URL)."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }

    def media_dict(self) -> Any:
        """The object a message carries: a PhotoSize list for photos, else Document-like."""
        base = {"file_id": self.file_id, "file_unique_id": self.file_unique_id, "file_size": len(self.data)}
        if self.kind == "photo":
            return [{**base, "width": 800, "height": 600}]
        if self.kind == "sticker":
            return {
                **base,
                "width": 512,
                "height": 512,
                "type": "regular",
                "is_animated": False,
                "is_video": False,
            }
        if self.kind in ("video", "animation"):
            base.update(width=640, height=360, duration=1)
        elif self.kind in ("audio", "voice"):
            base["duration"] = 1
        if self.file_name and self.kind not in ("voice",):
            base["file_name"] = self.file_name
        if self.mime_type:
            base["mime_type"] = self.mime_type
        return base


@dataclass
class ChatState:
    """One chat as Telegram sees it, including the bot's relation to it."""

    id: int
    type: str  # private, group, supergroup
    title: str | None = None
    user: dict | None = None  # the other party of a private chat
    members: dict[int, str] = field(default_factory=dict)
    bot_status: str = "left"  # left, member, administrator, kicked
    bot_ever_member: bool = False
    migrated_to: int | None = None
    started: bool = False  # private: the user has written to the bot
    blocked: bool = False  # private: the user blocked the bot
    messages: dict[int, dict] = field(default_factory=dict)  # message_id -> current state
    deleted: set[int] = field(default_factory=set)
    next_message_id: int = 1
    reply_keyboard: dict | None = None  # the last ReplyKeyboardMarkup/ForceReply shown, if any

    @property
    def is_group(self) -> bool:
        """Basic groups and supergroups (not private chats)."""
        return self.type in ("group", "supergroup")

    @property
    def kind(self) -> str:
        """The noun Telegram's error texts use: 'group chat' / 'supergroup chat'."""
        return f"{self.type} chat"

    def chat_dict(self) -> dict:
        """The Chat object embedded in messages and updates."""
        if self.type == "private":
            out = {"id": self.id, "type": "private", "first_name": self.user["first_name"]}
            for key in ("last_name", "username"):
                if self.user.get(key):
                    out[key] = self.user[key]
            return out
        return {"id": self.id, "type": self.type, "title": self.title}

    def bot_present(self) -> bool:
        """The bot is currently in this group."""
        return self.bot_status in ("member", "administrator")


class World:
    """All state the fake server keeps, and Telegram's rules for reaching a chat."""

    def __init__(self, bot_user: dict):
        self.bot_user = bot_user
        self.users: dict[int, dict] = {}
        self.chats: dict[int, ChatState] = {}
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self._file_counter = itertools.count(1)

    # ------------------------------------------------------------ building

    def add_user(self, user_id: int, first_name: str, **extra: Any) -> dict:
        """Create a user and their private chat with the bot."""
        if user_id <= 0:
            raise ValueError("user ids are positive")
        user = {"id": user_id, "is_bot": False, "first_name": first_name}
        user.update({k: v for k, v in extra.items() if v is not None})
        self.users[user_id] = user
        self.chats[user_id] = ChatState(id=user_id, type="private", user=user)
        return dict(user)

    def add_group(self, chat_id: int, title: str, *, supergroup: bool, members: dict[int, str]) -> ChatState:
        """Create a group or supergroup; member statuses are checked, users must exist."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        if supergroup and not str(chat_id).startswith("-100"):
            raise ValueError("supergroup ids look like -100xxxxxxxxxx")
        if chat_id in self.chats:
            raise ValueError(f"chat {chat_id} already exists")
        chat = ChatState(id=chat_id, type="supergroup" if supergroup else "group", title=title)
        self.chats[chat_id] = chat
        for user_id, status in members.items():
            self.set_member_status(chat_id, user_id, status)
        return chat

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        """Set a user's membership status in a group."""
        if status not in MEMBER_STATUSES:
            raise ValueError(f"unknown status {status!r}; use one of {MEMBER_STATUSES}")
        self.user(user_id)
        self.group(chat_id).members[user_id] = status

    # ------------------------------------------------------------ lookups for tests (ValueError = test bug)

    def user(self, user_id: int) -> dict:
        """A known user or ValueError."""
        if user_id not in self.users:
            raise ValueError(f"unknown user {user_id}; call add_user first")
        return self.users[user_id]

    def chat(self, chat_id: int) -> ChatState:
        """A known chat or ValueError."""
        if chat_id not in self.chats:
            raise ValueError(f"unknown chat {chat_id}")
        return self.chats[chat_id]

    def group(self, chat_id: int) -> ChatState:
        """A known group/supergroup or ValueError."""
        chat = self.chat(chat_id)
        if not chat.is_group:
            raise ValueError(f"chat {chat_id} is not a group")
        return chat

    def member_status(self, chat: ChatState, user_id: int) -> str:
        """A user's (or the bot's) status in a chat; unknown users are 'left'."""
        if user_id == self.bot_user["id"]:
            return chat.bot_status if chat.is_group else ("kicked" if chat.blocked else "member")
        if chat.type == "private":
            return "member" if user_id == chat.id else "left"
        return chat.members.get(user_id, "left")

    # ------------------------------------------------------------ Bot API access rules (ApiError)

    def resolve(self, chat_id: Any) -> ChatState:
        """The chat a Bot API chat_id names, or 400 chat not found / migrated."""
        if isinstance(chat_id, str):
            chat_id = int(chat_id) if chat_id.lstrip("-").isdigit() else None
        chat = self.chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise bad_request("chat not found")
        if chat.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
            )
        return chat

    def require_access(self, chat_id: Any, *, send: bool) -> ChatState:
        """The chat, if the bot may read it (``send=False``) or write to it (``send=True``)."""
        chat = self.resolve(chat_id)
        if chat.type == "private":
            if send and chat.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if send and not chat.started:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
            if not send and not (chat.started or chat.blocked):
                raise bad_request("chat not found")
            return chat
        if chat.bot_status == "kicked":
            raise ApiError(403, f"Forbidden: bot was kicked from the {chat.kind}")
        if not chat.bot_present():
            if not chat.bot_ever_member:
                # A bot that was never in a group cannot even see that it exists.
                raise bad_request("chat not found")
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat.kind}")
        return chat

    # ------------------------------------------------------------ messages

    def new_message(self, chat: ChatState, sender: dict | None, fields: dict) -> dict:
        """Store a new message (from a user or the bot) with the chat's next message_id."""
        message = {"message_id": chat.next_message_id}
        if sender is not None:
            message["from"] = dict(sender)
        message.update(chat=chat.chat_dict(), date=now())
        message.update(fields)
        chat.next_message_id += 1
        chat.messages[message["message_id"]] = message
        return message

    def find_message(self, chat: ChatState, message_id: Any) -> dict | None:
        """A message still present in the chat (the stored, mutable state)."""
        if message_id in chat.deleted:
            return None
        return chat.messages.get(message_id)

    def bot_messages(self, chat_id: int) -> list[dict]:
        """The bot's current messages in a chat, oldest first (live objects)."""
        chat = self.chats.get(chat_id)
        if chat is None:
            return []
        bot_id = self.bot_user["id"]
        return [
            m
            for mid, m in sorted(chat.messages.items())
            if mid not in chat.deleted and m.get("from", {}).get("id") == bot_id
        ]

    # ------------------------------------------------------------ members

    def member_dict(self, chat: ChatState, user_id: int) -> dict:
        """A ChatMember object for a status, with every field the spec requires."""
        status = self.member_status(chat, user_id)
        if user_id == self.bot_user["id"]:
            user = self.bot_user_public()
        else:
            user = dict(self.users.get(user_id) or {"id": user_id, "is_bot": False, "first_name": str(user_id)})
        return member_object(status, user, is_bot=user_id == self.bot_user["id"])

    def bot_user_public(self) -> dict:
        """The bot as it appears in messages and member lists (no getMe-only fields)."""
        return {k: self.bot_user[k] for k in ("id", "is_bot", "first_name", "username")}

    # ------------------------------------------------------------ files

    def store_file(
        self, data: bytes, kind: str, *, file_name: str | None = None, mime_type: str | None = None
    ) -> StoredFile:
        """Keep a file and give it a file_id and a download path."""
        n = next(self._file_counter)
        ext = {"photo": "jpg", "voice": "oga", "video": "mp4", "animation": "mp4", "sticker": "webp"}.get(kind)
        if ext is None:
            ext = file_name.rsplit(".", 1)[-1] if file_name and "." in file_name else "bin"
        folder = {"photo": "photos", "document": "documents", "sticker": "stickers"}.get(kind, f"{kind}s")
        stored = StoredFile(
            file_id=f"FAKE{kind.upper()}{n:06d}AgADBAADfake",
            file_unique_id=f"AQAD{n:06d}",
            file_path=f"{folder}/file_{n}.{ext}",
            data=data,
            kind=kind,
            file_name=file_name,
            mime_type=mime_type,
        )
        self.files[stored.file_id] = stored
        self.files_by_path[stored.file_path] = stored
        return stored


def member_object(status: str, user: dict, *, is_bot: bool = False) -> dict:
    """Build a ChatMember of the given status; admins get the usual full rights."""
    out: dict = {"status": status, "user": user}
    if status == "creator":
        out["is_anonymous"] = False
    elif status == "administrator":
        rights = (
            "can_manage_chat can_delete_messages can_manage_video_chats can_restrict_members can_change_info "
            "can_invite_users can_post_stories can_edit_stories can_delete_stories can_pin_messages"
        ).split()
        out.update(can_be_edited=is_bot, is_anonymous=False, can_promote_members=False)
        out.update(dict.fromkeys(rights, True))
    elif status == "restricted":
        out.update(is_member=True, until_date=0)
        flags = (
            "can_send_messages can_send_audios can_send_documents can_send_photos can_send_videos "
            "can_send_video_notes can_send_voice_notes can_send_polls can_send_other_messages "
            "can_add_web_page_previews can_react_to_messages can_edit_tag can_change_info can_invite_users "
            "can_pin_messages can_manage_topics"
        ).split()
        out.update(dict.fromkeys(flags, False))
    elif status == "kicked":
        out["until_date"] = 0
    return out


def snapshot(message: dict) -> dict:
    """A deep copy safe to hand to tests or to embed in an update."""
    return copy.deepcopy(message)
