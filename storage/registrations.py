"""Group registrations: a chat claims a kecamatan, Dinsos decides, the claim follows the chat through its life."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.clock import iso
from storage.db import Database, Tx


class Status(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    INACTIVE = "inactive"  # the bot left or was removed; kept so Dinsos sees the history
    REJECTED = "rejected"
    RETIRED = "retired"  # replaced by another group, or the group moved to another kecamatan
    WITHDRAWN = "withdrawn"  # the group asked for another kecamatan, or left, before a decision


@dataclass(frozen=True)
class Registration:
    id: int
    kecamatan_code: str
    kecamatan_name: str
    chat_id: int
    chat_title: str
    status: Status
    requested_by_id: int
    requested_by_name: str
    requested_at: str
    decided_by_id: int | None
    decided_by_name: str | None
    decided_at: str | None
    ended_at: str | None
    end_reason: str | None


_SELECT = """
SELECT r.*, k.name AS kecamatan_name
FROM registration r JOIN kecamatan k ON k.code = r.kecamatan_code
"""


def _row(row: Any) -> Registration:
    data = dict(row)
    data["status"] = Status(data["status"])
    return Registration(**data)


async def _one(tx: Tx, where: str, params: tuple[Any, ...]) -> Registration | None:
    row = await tx.fetchone(f"{_SELECT} WHERE {where} ORDER BY r.id DESC LIMIT 1", params)
    return None if row is None else _row(row)


async def _all(tx: Tx, where: str, params: tuple[Any, ...] = ()) -> list[Registration]:
    return [_row(r) for r in await tx.fetchall(f"{_SELECT} WHERE {where} ORDER BY r.id", params)]


@dataclass(frozen=True)
class Requester:
    user_id: int
    name: str


class RequestResult(StrEnum):
    CREATED = "created"
    ALREADY_ACTIVE = "already_active"
    ALREADY_PENDING = "already_pending"


@dataclass(frozen=True)
class RequestOutcome:
    result: RequestResult
    registration: Registration
    # The group that holds this kecamatan now and would be retired by approval.
    replaces: Registration | None = None
    # This chat's earlier pending claim on another kecamatan, withdrawn by this request.
    withdrawn: Registration | None = None


async def request(
    db: Database, *, kecamatan_code: str, chat_id: int, chat_title: str, requester: Requester, now: datetime
) -> RequestOutcome:
    """Record a group's claim on a kecamatan as pending (idempotent for a repeated identical claim)."""
    async with db.transaction() as tx:
        mine = await _all(tx, "r.chat_id = ? AND r.status IN ('active', 'pending')", (chat_id,))
        for reg in mine:
            if reg.kecamatan_code == kecamatan_code:
                result = RequestResult.ALREADY_ACTIVE if reg.status is Status.ACTIVE else RequestResult.ALREADY_PENDING
                return RequestOutcome(result, reg)
        withdrawn = next((r for r in mine if r.status is Status.PENDING), None)
        if withdrawn is not None:
            await _end(tx, withdrawn.id, Status.WITHDRAWN, "diganti permintaan lain", now)
        new_id = await tx.insert(
            """INSERT INTO registration (kecamatan_code, chat_id, chat_title, status, requested_by_id,
                   requested_by_name, requested_at) VALUES (?, ?, ?, 'pending', ?, ?, ?)""",
            (kecamatan_code, chat_id, chat_title, requester.user_id, requester.name, iso(now)),
        )
        created = await _one(tx, "r.id = ?", (new_id,))
        replaces = await _one(
            tx, "r.kecamatan_code = ? AND r.status = 'active' AND r.chat_id != ?", (kecamatan_code, chat_id)
        )
        assert created is not None
        return RequestOutcome(RequestResult.CREATED, created, replaces, withdrawn)


@dataclass(frozen=True)
class Decision:
    registration: Registration
    # False when someone decided first (a double tap, or two admins at once): nothing changed.
    changed: bool
    # Registrations this approval ended: the kecamatan's previous group, this group's previous kecamatan.
    retired: tuple[Registration, ...] = ()


async def decide(
    db: Database, registration_id: int, *, approve: bool, admin: Requester, now: datetime
) -> Decision | None:
    """Approve or reject a pending registration; None when there is no such registration."""
    async with db.transaction() as tx:
        reg = await _one(tx, "r.id = ?", (registration_id,))
        if reg is None:
            return None
        if reg.status is not Status.PENDING:
            return Decision(reg, changed=False)
        retired: list[Registration] = []
        if approve:
            retired = await _all(
                tx,
                "r.status = 'active' AND (r.kecamatan_code = ? OR r.chat_id = ?)",
                (reg.kecamatan_code, reg.chat_id),
            )
            for old in retired:
                reason = "digantikan grup lain" if old.chat_id != reg.chat_id else "pindah kecamatan"
                await _end(tx, old.id, Status.RETIRED, reason, now)
        await tx.execute(
            """UPDATE registration SET status = ?, decided_by_id = ?, decided_by_name = ?, decided_at = ?
               WHERE id = ?""",
            (Status.ACTIVE if approve else Status.REJECTED, admin.user_id, admin.name, iso(now), reg.id),
        )
        updated = await _one(tx, "r.id = ?", (reg.id,))
        assert updated is not None
        retired_now = [r for r in [await _one(tx, "r.id = ?", (o.id,)) for o in retired] if r is not None]
        return Decision(updated, changed=True, retired=tuple(retired_now))


async def _end(tx: Tx, registration_id: int, status: Status, reason: str, now: datetime) -> None:
    await tx.execute(
        "UPDATE registration SET status = ?, ended_at = ?, end_reason = ? WHERE id = ?",
        (status, iso(now), reason, registration_id),
    )


async def deactivate_chat(db: Database, chat_id: int, *, reason: str, now: datetime) -> list[Registration]:
    """The bot left a chat: its active claim becomes inactive, a pending one is withdrawn. Returns the old rows."""
    async with db.transaction() as tx:
        live = await _all(tx, "r.chat_id = ? AND r.status IN ('active', 'pending')", (chat_id,))
        for reg in live:
            status = Status.INACTIVE if reg.status is Status.ACTIVE else Status.WITHDRAWN
            await _end(tx, reg.id, status, reason, now)
        return live


async def follow_migration(db: Database, old_chat_id: int, new_chat_id: int) -> int:
    """Point every registration of an upgraded group at its supergroup id; repeat calls change nothing."""
    async with db.transaction() as tx:
        return await tx.execute("UPDATE registration SET chat_id = ? WHERE chat_id = ?", (new_chat_id, old_chat_id))


async def get(db: Database, registration_id: int) -> Registration | None:
    async with db.read() as tx:
        return await _one(tx, "r.id = ?", (registration_id,))


async def live_for_chat(db: Database, chat_id: int) -> list[Registration]:
    """The chat's active and pending claims (at most one of each)."""
    async with db.read() as tx:
        return await _all(tx, "r.chat_id = ? AND r.status IN ('active', 'pending')", (chat_id,))


async def active_for_chat(db: Database, chat_id: int) -> Registration | None:
    async with db.read() as tx:
        return await _one(tx, "r.chat_id = ? AND r.status = 'active'", (chat_id,))


async def active_for_kecamatan(db: Database, kecamatan_code: str) -> Registration | None:
    async with db.read() as tx:
        return await _one(tx, "r.kecamatan_code = ? AND r.status = 'active'", (kecamatan_code,))


async def pending(db: Database) -> list[Registration]:
    async with db.read() as tx:
        return await _all(tx, "r.status = 'pending'")


async def all_registrations(db: Database) -> list[Registration]:
    async with db.read() as tx:
        return await _all(tx, "1 = 1")


class KecamatanState(StrEnum):
    ACTIVE = "aktif"
    PENDING = "menunggu persetujuan"
    UNREGISTERED = "belum terdaftar"
    INACTIVE = "nonaktif"


@dataclass(frozen=True)
class KecamatanStatus:
    code: str
    name: str
    state: KecamatanState
    active: Registration | None
    pending: tuple[Registration, ...]


async def overview(db: Database) -> list[KecamatanStatus]:
    """All kecamatan, in code order, with their registration state."""
    async with db.read() as tx:
        kecamatan = await tx.fetchall("SELECT code, name FROM kecamatan ORDER BY code")
        regs = await _all(tx, "r.status IN ('active', 'pending', 'inactive')")
    result = []
    for row in kecamatan:
        mine = [r for r in regs if r.kecamatan_code == row["code"]]
        active = next((r for r in mine if r.status is Status.ACTIVE), None)
        waiting = tuple(r for r in mine if r.status is Status.PENDING)
        if active is not None:
            state = KecamatanState.ACTIVE
        elif waiting:
            state = KecamatanState.PENDING
        elif any(r.status is Status.INACTIVE for r in mine):
            state = KecamatanState.INACTIVE
        else:
            state = KecamatanState.UNREGISTERED
        result.append(KecamatanStatus(row["code"], row["name"], state, active, waiting))
    return result


async def add_notice(db: Database, registration_id: int, admin_id: int, message_id: int) -> None:
    """Remember the admin's message about a registration (the newest one wins)."""
    async with db.transaction() as tx:
        await tx.execute(
            """INSERT INTO registration_notice (registration_id, admin_id, message_id) VALUES (?, ?, ?)
               ON CONFLICT (registration_id, admin_id) DO UPDATE SET message_id = excluded.message_id""",
            (registration_id, admin_id, message_id),
        )


async def notices(db: Database, registration_id: int) -> list[tuple[int, int]]:
    """(admin id, message id) of every admin message about this registration."""
    async with db.read() as tx:
        rows = await tx.fetchall(
            "SELECT admin_id, message_id FROM registration_notice WHERE registration_id = ?",
            (registration_id,),
        )
        return [(r["admin_id"], r["message_id"]) for r in rows]


async def unnoticed_pending(db: Database, admin_id: int) -> list[Registration]:
    """Pending registrations this admin has not been shown yet (their private chat was closed to the bot)."""
    async with db.read() as tx:
        return await _all(
            tx,
            """r.status = 'pending' AND NOT EXISTS (
                   SELECT 1 FROM registration_notice n WHERE n.registration_id = r.id AND n.admin_id = ?)""",
            (admin_id,),
        )


async def rename_chat(db: Database, chat_id: int, title: str) -> None:
    """A group renamed itself; its live claims show the new title."""
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE registration SET chat_title = ? WHERE chat_id = ? AND status IN ('active', 'pending')",
            (title, chat_id),
        )
