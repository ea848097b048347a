"""A new Kepmendagri edition's code changes carried through the whole database, in one transaction.

Kecamatan and village codes are stored as plain text in many places: every `kecamatan_code` column, a program's
`lokasi`, and inside JSON (a laporan's answers, a draft's state, an announcement's targets, an upload's
programs). Rather than a list of those places, which the next table would silently escape, every text column of
every table is looked at: a value equal to an old code, or a JSON string equal to one (`"32.09.15.1006"`,
quotes included, so a longer code or a free-text answer is never touched), takes the new code. The kecamatan and
village rows themselves are dropped, the new release's data having added the new ones at the same start (or moved,
when it has not); foreign keys are checked at COMMIT (`defer_foreign_keys`), when every reference has moved.

Not handled: two kecamatan merged into one (the unique indexes on a kecamatan's active group, plan, ... refuse
it, and the whole edition is rolled back), and codes swapped within one edition.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.clock import iso
from storage.db import Database, Tx

Renames = Sequence[tuple[str, str]]  # (old code, new code)

_REFERENCE = {2: "kecamatan", 3: "village"}  # dots in a code -> the table it is the primary key of
_NOT_DATA = ("region", "region_edition", "schema_migrations")


async def applied_editions(db: Database) -> set[str]:
    async with db.read() as tx:
        return {row["edition"] for row in await tx.fetchall("SELECT edition FROM region_edition")}


async def apply_editions(db: Database, region_code: str, editions: Sequence[tuple[str, Renames]],
                         now: datetime) -> list[str]:  # fmt: skip
    """Apply, in order, the editions not applied yet (their renames within `region_code` only); all or nothing.
    Returns the editions applied now."""
    async with db.transaction() as tx:
        done = {row["edition"] for row in await tx.fetchall("SELECT edition FROM region_edition")}
        pending = [(edition, renames) for edition, renames in editions if edition not in done]
        if not pending:
            return []
        # Reset by SQLite at COMMIT: only this transaction checks its foreign keys at the end.
        await tx.execute("PRAGMA defer_foreign_keys = ON")
        columns = await _text_columns(tx, region_code)
        for edition, renames in pending:
            ours = [(old, new) for old, new in renames if old.startswith(region_code + ".") and old != new]
            for old, new in await _with_villages(tx, ours):
                await _rename(tx, columns, old, new)
            await tx.execute("INSERT INTO region_edition (edition, applied_at) VALUES (?, ?)", (edition, iso(now)))
    return [edition for edition, _ in pending]


async def _text_columns(tx: Tx, region_code: str) -> list[tuple[str, str]]:
    """(table, column) of every text column holding some code of the region; the code tables' keys excepted."""
    tables = await tx.fetchall(
        """SELECT name FROM sqlite_master
           WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'"""
    )
    found = []
    for table in (row["name"] for row in tables):
        if table in _NOT_DATA:
            continue
        for column in await tx.fetchall("SELECT name, type FROM pragma_table_info(?)", (table,)):
            name = column["name"]
            if column["type"].upper() not in ("TEXT", "") or (table in _REFERENCE.values() and name == "code"):
                continue
            used = await tx.fetchval(
                f"SELECT 1 FROM {_quoted(table)} WHERE {_quoted(name)} LIKE ? LIMIT 1", (f"%{region_code}.%",)
            )
            if used:
                found.append((table, name))
    return found


async def _with_villages(tx: Tx, renames: Renames) -> list[tuple[str, str]]:
    """The renames, plus each village of a renamed kecamatan that has no line of its own: Kemendagri's village
    code starts with its kecamatan's, so it follows the kecamatan with its own last part."""
    explicit = {old for old, _ in renames}
    result = list(renames)
    for old, new in renames:
        if old.count(".") != 2:
            continue
        villages = await tx.fetchall("SELECT code FROM village WHERE kecamatan_code = ?", (old,))
        for code in (row["code"] for row in villages):
            if code not in explicit:
                result.append((code, new + code[len(old) :]))
    return result


async def _rename(tx: Tx, columns: list[tuple[str, str]], old: str, new: str) -> None:
    table = _REFERENCE.get(old.count("."))
    if table is not None:
        if await tx.fetchval(f"SELECT 1 FROM {table} WHERE code = ?", (new,)):
            await tx.execute(f"DELETE FROM {table} WHERE code = ?", (old,))  # the new release's data added it
        elif table == "village":  # a village may move to another kecamatan
            await tx.execute("UPDATE village SET code = ?, kecamatan_code = ? WHERE code = ?",
                             (new, new.rsplit(".", 1)[0], old))  # fmt: skip
        else:
            await tx.execute("UPDATE kecamatan SET code = ? WHERE code = ?", (new, old))
    quoted_old, quoted_new = f'"{old}"', f'"{new}"'
    for table_name, column in columns:
        t, c = _quoted(table_name), _quoted(column)
        await tx.execute(
            f"""UPDATE {t} SET {c} = CASE WHEN {c} = ? THEN ? ELSE replace({c}, ?, ?) END
                WHERE {c} = ? OR instr({c}, ?) > 0""",
            (old, new, quoted_old, quoted_new, old, quoted_old),
        )


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
