"""/programkerja for Dinsos admins in private: the kabupaten's plans at a glance, and `tenggat dd/mm/yyyy`.
(Interface fixed by the core: handlers/program_kerja.py dispatches here; the Dinsos-side helper fills it in.)"""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext


async def overview(update: Update, context: BotContext) -> None:
    """Each kecamatan's plan for the planning year: state, programs, and who has not submitted."""
    raise NotImplementedError


async def tenggat(update: Update, context: BotContext, args: list[str]) -> None:
    """`/programkerja tenggat 31/01/2027 [tahun]`: the deadline for submitting the year's plan."""
    raise NotImplementedError
