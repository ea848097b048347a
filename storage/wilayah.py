"""The region a database serves, and its kecamatan and village tables, kept equal to the project's copy of the
regional data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from storage.db import Database


class _Village(Protocol):
    code: str
    name: str
    kind: str


class _Kecamatan(Protocol):
    code: str
    name: str
    villages: Iterable[_Village]


async def claim_region(db: Database, code: str, name: str) -> tuple[str, str]:
    """The (code, name) of the region this database serves: the one given when it serves none yet."""
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO region (id, code, name) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING", (code, name)
        )
        row = await tx.fetchone("SELECT code, name FROM region WHERE id = 1")
    assert row is not None
    return row["code"], row["name"]


async def sync(db: Database, kecamatan: Iterable[_Kecamatan]) -> None:
    """Insert or rename every kecamatan and village; codes are stable, names may be corrected by a new release."""
    async with db.transaction() as tx:
        for kec in kecamatan:
            await tx.execute(
                """INSERT INTO kecamatan (code, name) VALUES (?, ?)
                   ON CONFLICT (code) DO UPDATE SET name = excluded.name""",
                (kec.code, kec.name),
            )
            for village in kec.villages:
                await tx.execute(
                    """INSERT INTO village (code, kecamatan_code, name, kind) VALUES (?, ?, ?, ?)
                       ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind""",
                    (village.code, kec.code, village.name, village.kind),
                )


async def counts(db: Database) -> tuple[int, int]:
    async with db.read() as tx:
        kec = await tx.fetchval("SELECT COUNT(*) FROM kecamatan")
        vil = await tx.fetchval("SELECT COUNT(*) FROM village")
    return kec, vil
