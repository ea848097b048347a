"""Relays in the outbox: a header and then a copy of the message, each remembered so that replies find their way.

The copy is owed only once its header is out, in the same write that marks the header sent: it always follows its
header (and replies to it), a 429 or a 5xx only delays either, and a crash between them loses neither.
"""

from __future__ import annotations

from telegram import Message, MessageId

from bot import texts
from bot.context import BotApplication, BotContext
from bot.outbox_sender import Outgoing
from storage import announcements, outbox
from storage.db import Statement
from storage.outbox import OutboxRow

# A group's reply or a private question, to each admin (ref: the relay), and the copy that follows its header.
TO_ADMIN_KIND = "relay_to_admin"
TO_ADMIN_COPY_KIND = "relay_to_admin_copy"
# A Dinsos answer back to the group or person (ref: the answer), its copy, and the admin's notice when it failed.
ANSWER_KIND = "relay_answer"
ANSWER_COPY_KIND = "relay_answer_copy"
ANSWER_FAILED_KIND = "relay_answer_failed"
_CARRIED = ("from_chat", "from_message", "announcement_id")


def _render(row: OutboxRow) -> Outgoing:
    payload = row.payload or {}
    if "text" in payload:
        return Outgoing(text=payload["text"], parse_mode=payload.get("parse_mode"), reply_to=payload.get("reply_to"))
    return Outgoing(
        text="", kind="copy", copy_of=(payload["from_chat"], payload["from_message"]), reply_to=payload.get("reply_to")
    )


class _RelayKind:
    def __init__(self, application: BotApplication, copy_kind: str | None, *, copy_replies: bool) -> None:
        self.application = application
        self.copy_kind = copy_kind
        self.copy_replies = copy_replies

    async def render(self, row: OutboxRow) -> Outgoing:
        return _render(row)

    def then(self, row: OutboxRow, message: Message | MessageId) -> list[outbox.Owed]:
        """After a header: the copy of the relayed message, to the same chat."""
        if self.copy_kind is None:
            return []
        payload = {key: value for key, value in (row.payload or {}).items() if key in _CARRIED}
        if self.copy_replies:
            payload["reply_to"] = message.message_id
        return [outbox.Owed(self.copy_kind, row.ref_id, row.kecamatan_code, row.chat_id, payload, row.recipient)]


class ToAdminKind(_RelayKind):
    """A relayed header or copy in an admin's chat: the admin's reply to either goes back to where it came from."""

    def __init__(self, application: BotApplication, *, header: bool) -> None:
        super().__init__(application, TO_ADMIN_COPY_KIND if header else None, copy_replies=True)

    async def delivered(self, row: OutboxRow, message: Message | MessageId | None) -> None:
        if message is None:
            return
        payload = row.payload or {}
        await announcements.add_relay(
            BotContext(self.application).db, admin_id=row.chat_id, admin_message_id=message.message_id,
            chat_id=payload["from_chat"], group_message_id=payload["from_message"],
            kecamatan_code=row.kecamatan_code, announcement_id=payload.get("announcement_id"),
        )  # fmt: skip


class AnswerKind(_RelayKind):
    """A Dinsos answer's header or copy: the group may answer it in turn; an answer that cannot arrive is told."""

    def __init__(self, application: BotApplication, *, header: bool) -> None:
        super().__init__(application, ANSWER_COPY_KIND if header else None, copy_replies=False)

    def records(self, row: OutboxRow, message: Message | MessageId) -> list[Statement]:
        """A reply to Dinsos's answer in the group is relayed too: its anchor, written with "sent"."""
        return [announcements.anchor_statement(row, message.message_id, (row.payload or {}).get("announcement_id"))]

    async def delivered(self, row: OutboxRow, message: Message | MessageId | None) -> None:
        context = BotContext(self.application)
        payload = row.payload or {}
        if message is not None:
            return
        admin_id = payload.get("admin_id")
        if admin_id is None:
            return  # a copy whose header arrived (its message was deleted meanwhile): nothing the admin can do
        text = texts.RELAY_ADMIN_FAILED if row.chat_id < 0 else texts.QUESTION_ANSWER_FAILED
        recipient = f"admin:{admin_id}"
        notice = outbox.Owed(ANSWER_FAILED_KIND, row.ref_id, row.kecamatan_code, admin_id, {"text": text}, recipient)
        await outbox.owe(context.db, [notice], context.now())
        context.sender.wake()
