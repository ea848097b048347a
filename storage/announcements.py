"""Announcements: the admin's draft, the send that fills the outbox, acknowledgements and the status views."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.clock import iso
from storage import outbox
from storage.db import Database, Statement, Tx

KIND = "announcement"
NUDGE_KIND = "nudge"


class AnnStatus(StrEnum):
    COMPOSING = "composing"
    READY = "ready"
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Content:
    kind: str  # text, photo, document
    text: str  # the text, or the caption
    entities: list[dict[str, Any]]
    file_id: str | None = None


@dataclass(frozen=True)
class Announcement:
    id: int
    admin_id: int
    admin_name: str
    status: AnnStatus
    content: Content | None
    target_codes: tuple[str, ...] | None
    created_at: str
    sent_at: str | None
    finished_at: str | None
    progress_message_id: int | None


def _row(row: Any) -> Announcement:
    content = None
    if row["content_kind"]:
        content = Content(row["content_kind"], row["text"] or "", json.loads(row["entities"] or "[]"), row["file_id"])
    targets = tuple(json.loads(row["target_codes"])) if row["target_codes"] is not None else None
    return Announcement(
        row["id"], row["admin_id"], row["admin_name"], AnnStatus(row["status"]), content, targets,
        row["created_at"], row["sent_at"], row["finished_at"], row["progress_message_id"],
    )  # fmt: skip


async def _get(tx: Tx, announcement_id: int) -> Announcement | None:
    row = await tx.fetchone("SELECT * FROM announcement WHERE id = ?", (announcement_id,))
    return None if row is None else _row(row)


async def get(db: Database, announcement_id: int) -> Announcement | None:
    async with db.read() as tx:
        return await _get(tx, announcement_id)


async def start_draft(db: Database, *, admin_id: int, admin_name: str, now: datetime) -> Announcement:
    """A new draft for this admin; an unfinished earlier draft is cancelled (one draft per admin)."""
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE announcement SET status = 'cancelled' WHERE admin_id = ? AND status IN ('composing', 'ready')",
            (admin_id,),
        )
        new_id = await tx.insert(
            "INSERT INTO announcement (admin_id, admin_name, status, created_at) VALUES (?, ?, 'composing', ?)",
            (admin_id, admin_name, iso(now)),
        )
        draft = await _get(tx, new_id)
    assert draft is not None
    return draft


async def draft_of(db: Database, admin_id: int) -> Announcement | None:
    """The admin's unsent draft (composing or ready), if any."""
    async with db.read() as tx:
        row = await tx.fetchone(
            "SELECT * FROM announcement WHERE admin_id = ? AND status IN ('composing', 'ready')", (admin_id,)
        )
    return None if row is None else _row(row)


async def set_content(db: Database, announcement_id: int, content: Content) -> Announcement | None:
    """Store the content and make the draft ready; None if it is no longer a draft."""
    async with db.transaction() as tx:
        changed = await tx.execute(
            """UPDATE announcement SET content_kind = ?, text = ?, entities = ?, file_id = ?, status = 'ready'
               WHERE id = ? AND status IN ('composing', 'ready')""",
            (content.kind, content.text, json.dumps(content.entities), content.file_id, announcement_id),
        )
        return await _get(tx, announcement_id) if changed else None


async def set_targets(db: Database, announcement_id: int, codes: list[str] | None) -> Announcement | None:
    """Choose the target kecamatan (None: all active); only while the draft is ready."""
    async with db.transaction() as tx:
        changed = await tx.execute(
            "UPDATE announcement SET target_codes = ? WHERE id = ? AND status = 'ready'",
            (None if codes is None else json.dumps(sorted(set(codes))), announcement_id),
        )
        return await _get(tx, announcement_id) if changed else None


async def cancel(db: Database, announcement_id: int) -> bool:
    async with db.transaction() as tx:
        changed = await tx.execute(
            "UPDATE announcement SET status = 'cancelled' WHERE id = ? AND status IN ('composing', 'ready')",
            (announcement_id,),
        )
    return changed > 0


class SendResult(StrEnum):
    QUEUED = "queued"
    NOT_A_DRAFT = "not_a_draft"  # already sent (a double tap) or cancelled
    NO_TARGETS = "no_targets"


async def send(
    db: Database, announcement_id: int, *, now: datetime, progress_message_id: int | None = None
) -> tuple[SendResult, int]:
    """Write one outbox row per target group and mark the announcement sending, with the admin's message that
    becomes its progress and report, in one transaction: a stop right after Kirim cannot leave copies going out
    with no report to show for them."""
    async with db.transaction() as tx:
        ann = await _get(tx, announcement_id)
        if ann is None or ann.status is not AnnStatus.READY:
            return SendResult.NOT_A_DRAFT, 0
        targets = await _active_targets(tx, ann.target_codes)
        if not targets:
            return SendResult.NO_TARGETS, 0
        for code, chat_id in targets:
            await outbox.enqueue(tx, kind=KIND, ref_id=ann.id, kecamatan_code=code, chat_id=chat_id, now=now)
        await tx.execute(
            """UPDATE announcement SET status = 'sending', sent_at = ?,
                   progress_message_id = COALESCE(?, progress_message_id) WHERE id = ?""",
            (iso(now), progress_message_id, announcement_id),
        )
        return SendResult.QUEUED, len(targets)


async def _active_targets(tx: Tx, codes: tuple[str, ...] | None) -> list[tuple[str, int]]:
    rows = await tx.fetchall(
        "SELECT kecamatan_code, chat_id FROM registration WHERE status = 'active' ORDER BY kecamatan_code"
    )
    return [(r[0], r[1]) for r in rows if codes is None or r[0] in codes]


# Sending, with no row left pending: every group has its copy (or failed for good), only the report and the done
# mark are owed.
_SENT_OUT = """SELECT a.id FROM announcement a WHERE a.status = 'sending'
               AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.kind = ? AND o.ref_id = a.id AND o.status = 'pending')"""


async def sent_out(db: Database) -> list[int]:
    """Announcements still sending whose rows are all sent or failed, oldest first."""
    async with db.read() as tx:
        rows = await tx.fetchall(f"{_SENT_OUT} ORDER BY a.id", (KIND,))
    return [r[0] for r in rows]


async def is_sent_out(db: Database, announcement_id: int) -> bool:
    """Still sending, and no row of it pending."""
    async with db.read() as tx:
        return await tx.fetchval(f"{_SENT_OUT} AND a.id = ?", (KIND, announcement_id)) is not None


async def mark_done(db: Database, announcement_id: int, *, now: datetime) -> None:
    """Sending becomes done; a second call changes nothing."""
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE announcement SET status = 'done', finished_at = ? WHERE id = ? AND status = 'sending'",
            (iso(now), announcement_id),
        )


@dataclass(frozen=True)
class Delivery:
    kecamatan_code: str
    kecamatan_name: str
    chat_id: int
    status: str  # pending, sent, failed
    message_id: int | None
    error: str | None
    sent_at: str | None
    acked_by_id: int | None
    acked_by: str | None
    acked_at: str | None


async def deliveries(db: Database, announcement_id: int) -> list[Delivery]:
    """Per kecamatan: delivery state and acknowledgement."""
    async with db.read() as tx:
        rows = await tx.fetchall(
            """SELECT o.kecamatan_code, k.name, o.chat_id, o.status, o.message_id, o.error, o.sent_at,
                      a.user_id, a.user_name, a.acked_at
               FROM outbox o JOIN kecamatan k ON k.code = o.kecamatan_code
               LEFT JOIN announcement_ack a ON a.announcement_id = o.ref_id AND a.kecamatan_code = o.kecamatan_code
               WHERE o.kind = ? AND o.ref_id = ? ORDER BY o.kecamatan_code""",
            (KIND, announcement_id),
        )
    return [Delivery(*tuple(r)) for r in rows]


async def recent(db: Database, limit: int = 10) -> list[Announcement]:
    async with db.read() as tx:
        rows = await tx.fetchall(
            "SELECT * FROM announcement WHERE status IN ('sending', 'done') ORDER BY id DESC LIMIT ?", (limit,)
        )
    return [_row(r) for r in rows]


async def all_sent(db: Database) -> list[Announcement]:
    async with db.read() as tx:
        rows = await tx.fetchall("SELECT * FROM announcement WHERE status IN ('sending', 'done') ORDER BY id")
    return [_row(r) for r in rows]


class AckResult(StrEnum):
    RECORDED = "recorded"
    ALREADY = "already"
    NOT_HERE = "not_here"  # no delivery of this announcement in this chat


async def acknowledge(
    db: Database, announcement_id: int, *, chat_id: int, user_id: int, user_name: str, now: datetime
) -> tuple[AckResult, str | None]:
    """Record the first acknowledgement for the kecamatan of this chat; returns who acknowledged first."""
    async with db.transaction() as tx:
        code = await tx.fetchval(
            "SELECT kecamatan_code FROM outbox WHERE kind = ? AND ref_id = ? AND chat_id = ? AND status = 'sent'",
            (KIND, announcement_id, chat_id),
        )
        if code is None:
            return AckResult.NOT_HERE, None
        inserted = await tx.execute(
            """INSERT OR IGNORE INTO announcement_ack (announcement_id, kecamatan_code, user_id, user_name, acked_at)
               VALUES (?, ?, ?, ?, ?)""",
            (announcement_id, code, user_id, user_name, iso(now)),
        )
        first = await tx.fetchval(
            "SELECT user_name FROM announcement_ack WHERE announcement_id = ? AND kecamatan_code = ?",
            (announcement_id, code),
        )
    return (AckResult.RECORDED if inserted else AckResult.ALREADY), first


async def queue_nudges(db: Database, *, sent_before: datetime, now: datetime) -> int:
    """Owe one nudge to every group that got an announcement before `sent_before` and has not acknowledged it."""
    async with db.transaction() as tx:
        rows = await tx.fetchall(
            """SELECT o.ref_id, o.kecamatan_code, o.chat_id, o.message_id FROM outbox o
               WHERE o.kind = ? AND o.status = 'sent' AND o.sent_at <= ?
                 AND NOT EXISTS (SELECT 1 FROM announcement_ack a
                                 WHERE a.announcement_id = o.ref_id AND a.kecamatan_code = o.kecamatan_code)
                 AND NOT EXISTS (SELECT 1 FROM outbox n
                                 WHERE n.kind = ? AND n.ref_id = o.ref_id AND n.kecamatan_code = o.kecamatan_code)""",
            (KIND, iso(sent_before), NUDGE_KIND),
        )
        for row in rows:
            await outbox.enqueue(
                tx, kind=NUDGE_KIND, ref_id=row["ref_id"], kecamatan_code=row["kecamatan_code"],
                chat_id=row["chat_id"], now=now, payload={"reply_to": row["message_id"]},
            )  # fmt: skip
    return len(rows)


def anchor_statement(row: outbox.OutboxRow, message_id: int, announcement_id: int | None) -> Statement:
    """Replies to the bot message `row` became (in its group) will be relayed to Dinsos: written with the row's
    "sent" (outbox.mark_sent's `also`), so a copy that went out always has its anchor."""
    return (
        """INSERT OR IGNORE INTO group_anchor (chat_id, message_id, kecamatan_code, announcement_id)
           VALUES (?, ?, ?, ?)""",
        (row.chat_id, message_id, row.kecamatan_code, announcement_id),
    )


async def anchor(db: Database, chat_id: int, message_id: int) -> tuple[str, int | None] | None:
    """(kecamatan code, announcement id) if replies to this group message go to Dinsos."""
    async with db.read() as tx:
        row = await tx.fetchone(
            "SELECT kecamatan_code, announcement_id FROM group_anchor WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
    return None if row is None else (row[0], row[1])


async def add_relay(
    db: Database, *, admin_id: int, admin_message_id: int, chat_id: int, group_message_id: int,
    kecamatan_code: str, announcement_id: int | None,
) -> None:  # fmt: skip
    async with db.transaction() as tx:
        await tx.execute(
            """INSERT OR REPLACE INTO admin_relay (admin_id, admin_message_id, chat_id, group_message_id,
                   kecamatan_code, announcement_id) VALUES (?, ?, ?, ?, ?, ?)""",
            (admin_id, admin_message_id, chat_id, group_message_id, kecamatan_code, announcement_id),
        )


@dataclass(frozen=True)
class Relay:
    chat_id: int
    group_message_id: int
    kecamatan_code: str
    announcement_id: int | None


async def relay_for(db: Database, admin_id: int, admin_message_id: int) -> Relay | None:
    async with db.read() as tx:
        row = await tx.fetchone(
            """SELECT chat_id, group_message_id, kecamatan_code, announcement_id FROM admin_relay
               WHERE admin_id = ? AND admin_message_id = ?""",
            (admin_id, admin_message_id),
        )
    return None if row is None else Relay(*tuple(row))


async def was_relayed(db: Database, chat_id: int, message_id: int) -> bool:
    """Whether this message already went to the admins (a second tap on "Kirim ke Dinsos" sends nothing)."""
    async with db.read() as tx:
        found = await tx.fetchval(
            "SELECT 1 FROM admin_relay WHERE chat_id = ? AND group_message_id = ? LIMIT 1", (chat_id, message_id)
        )
    return found is not None
