"""Who is a pengurus of which kecamatan: an admin (creator or administrator) of its registered group, as Telegram
says right now. The one place the chat asks it; the web session carries the kecamatan its login was made for."""

from __future__ import annotations

import asyncio

from telegram import User

from bot.access import is_group_admin
from bot.context import BotContext
from storage import program_kerja, registrations


async def is_pengurus(context: BotContext, user: User | None, kecamatan_code: str) -> bool:
    """Admin of the kecamatan's registered group now (and remembered, so the private chat finds it next time)."""
    if user is None:
        return False
    group = await registrations.active_for_kecamatan(context.db, kecamatan_code)
    if group is None or not await is_group_admin(context, group.chat_id, user):
        return False
    await program_kerja.remember_pengurus(context.db, user.id, kecamatan_code, now=context.now())
    return True


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
    checks = await asyncio.gather(*(is_pengurus(context, user, g.kecamatan_code) for g in groups))
    return sorted({g.kecamatan_code for g, ok in zip(groups, checks, strict=True) if ok})
