"""Who is a pengurus of which kecamatan: an admin (creator or administrator) of its registered group, as Telegram
says right now. The one place the chat asks it; the web session carries the kecamatan its login was made for."""

from __future__ import annotations

import asyncio

from telegram import User

from bot.access import is_group_admin
from bot.context import BotContext
from storage import program_kerja, registrations


async def is_pengurus(context: BotContext, user: User | None, kecamatan_code: str) -> bool:
    """Admin of the kecamatan's registered group now (asked at every press and every change on the web)."""
    if user is None:
        return False
    group = await registrations.active_for_kecamatan(context.db, kecamatan_code)
    return group is not None and await is_group_admin(context, group.chat_id, user)


async def kecamatan_of(context: BotContext, user: User | None) -> list[str]:
    """The kecamatan this person is a pengurus of. Those seen before are asked first; only when none holds are
    all registered groups asked (in parallel: 40 getChatMember calls once, then remembered)."""
    if user is None:
        return []
    seen = await program_kerja.pengurus_seen(context.db, user.id)
    found = [code for code in seen if await is_pengurus(context, user, code)]
    if found:
        return found
    groups = [g for g in await registrations.all_registrations(context.db) if g.status is registrations.Status.ACTIVE]
    checks = await asyncio.gather(*(is_group_admin(context, g.chat_id, user) for g in groups))
    found = sorted({g.kecamatan_code for g, ok in zip(groups, checks, strict=True) if ok})
    for code in found:  # only what the scan found is written: a check of a kecamatan seen before writes nothing
        await program_kerja.remember_pengurus(context.db, user.id, code, now=context.now())
    return found
