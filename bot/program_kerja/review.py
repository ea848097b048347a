"""Ajukan ke Dinsos and Dinsos's decision, wherever they are made (the page, the template's preview, the chat,
/tinjau, a copy's buttons, the dashboard): the change and the messages it owes are written together, and the
outbox sender delivers them, so a stop between the two cannot keep one without the other. Once decided, every
admin's copy of that submission says who decided what and when, and loses its buttons."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode

from bot.clock import iso
from bot.context import BotApplication, BotContext
from bot.dates import short_wib
from bot.forms.parse import format_rupiah
from bot.program_kerja.model import bulan_label
from bot.review_decision import decided_text
from bot.sending import edit_text
from bot.texts import program_kerja as t
from bot.wilayah import kecamatan_by_code
from storage import outbox, plan_review, program_kerja, registrations, reviews
from storage.db import Database
from storage.program_kerja import Plan

ADMIN_COPY_KIND = "plan_admin"  # a submitted plan's copy to each Dinsos admin, with the decision buttons
NOTE_KIND = "plan_note"  # to the kecamatan group: submitted, accepted, sent back
SUBMITTER_KIND = "plan_submitter"  # the decision, to the pengurus who submitted
NOTE_LIMIT = 1000


def title(plan: Plan) -> str:
    kecamatan = kecamatan_by_code(plan.kecamatan_code)
    return t.plan_title(plan.year, kecamatan.name if kecamatan else plan.kecamatan_code, plan.version)


def decision_keyboard(plan_id: int, prefix: str = "pk") -> InlineKeyboardMarkup:
    """Diterima / Perlu perbaikan; callback 'pk:ok:<plan>' and 'pk:fix:<plan>' (a few bytes, under Telegram's 64)."""
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(t.BUTTON_ACCEPT, callback_data=f"{prefix}:ok:{plan_id}"),
        InlineKeyboardButton(t.BUTTON_FIX, callback_data=f"{prefix}:fix:{plan_id}"),
    ]])  # fmt: skip


async def admin_text(db: Database, plan: Plan, submitter: str) -> str:
    """What an admin reads of a submission (its copy, and its turn in /tinjau): the programs, one line each."""
    programs = await program_kerja.programs(db, plan.id)
    lines = [f"{p.nama} ({bulan_label(p.bulan)}, {format_rupiah(p.anggaran)})" for p in programs]
    return t.plan_submitted_admin(title(plan), submitter, len(programs),
                                  format_rupiah(sum(p.anggaran for p in programs)), lines)  # fmt: skip


async def submit(app: BotApplication, plan: Plan, *, user_id: int, user_name: str) -> bool:
    """Ajukan: the plan waits for Dinsos; every admin gets a copy with the buttons, the group hears of it."""
    data = app.bot_data
    assert data.db is not None and data.config is not None
    now = data.clock.now()
    text = await admin_text(data.db, plan, user_name)
    keyboard = decision_keyboard(plan.id).to_dict()
    stamp = iso(now)  # a plan sent back and submitted again owes its messages again
    owed = [
        outbox.Owed(
            ADMIN_COPY_KIND,
            plan.id,
            plan.kecamatan_code,
            admin_id,
            {"text": text, "parse_mode": ParseMode.HTML, "reply_markup": keyboard},
            f"admin:{admin_id}:{stamp}",
        )
        for admin_id in sorted(data.config.admin_ids)
    ]
    owed += await _to_group(app, plan, t.plan_submitted_group(title(plan), user_name), stamp)
    done = await program_kerja.submit(data.db, plan.id, user_id=user_id, user_name=user_name, now=now, owed=owed)
    _wake(app, done)
    return done


async def decide(app: BotApplication, plan_id: int, *, status: str, note: str | None, admin_id: int,
                 admin_name: str) -> bool:  # fmt: skip
    """Diterima, or Perlu perbaikan with a note; False if the plan was not waiting (decided already)."""
    data = app.bot_data
    assert data.db is not None and data.config is not None
    plan = await program_kerja.get_plan(data.db, plan_id)
    if plan is None or plan.status != program_kerja.SUBMITTED:
        return False
    if status == program_kerja.NEEDS_FIX:
        note = (note or "").strip()[:NOTE_LIMIT]
        if not note:
            raise ValueError("Perlu perbaikan needs a note")
        text = t.plan_needs_fix(title(plan), note)
    elif status == program_kerja.ACCEPTED:
        note, text = None, t.plan_accepted(title(plan))
    else:
        raise ValueError(status)
    now = data.clock.now()
    stamp = iso(now)
    # Keyed apart from the submission's group note: a decision in the same second as the submission owes its own.
    owed = await _to_group(app, plan, text, f"{status}:{stamp}")
    if plan.submitted_by_id is not None:
        owed.append(outbox.Owed(SUBMITTER_KIND, plan.id, plan.kecamatan_code, plan.submitted_by_id,
                                {"text": text, "parse_mode": ParseMode.HTML},
                                f"user:{plan.submitted_by_id}:{stamp}"))  # fmt: skip
    done = await program_kerja.decide(data.db, plan.id, status=status, note=note, admin_id=admin_id,
                                      admin_name=admin_name, now=now, owed=owed)  # fmt: skip
    _wake(app, done)
    if done and plan.submitted_at is not None:
        line = t.plan_decided(status, admin_name, short_wib(now, data.config.timezone), note)
        await _mark_copies(app, plan.id, plan.submitted_at, line)
    return done


async def _mark_copies(app: BotApplication, plan_id: int, submitted_at: str, line: str) -> None:
    """Every admin's copy of this submission shows the decision without buttons: copies already sent are edited,
    copies still waiting go out decided (as bot/review_decision does for reports)."""
    data = app.bot_data
    assert data.db is not None
    context = BotContext(app)
    for copy in await plan_review.admin_copies(data.db, ADMIN_COPY_KIND, plan_id, submitted_at):
        text = decided_text(str(copy.payload.get("text", "")), line)
        if copy.status != "sent":
            if await reviews.rewrite_unsent_copy(data.db, copy.outbox_id, {"text": text, "parse_mode": ParseMode.HTML}):
                continue
            # It went out in the meantime: read its message id back and edit it like the others.
            fresh = await plan_review.admin_copies(data.db, ADMIN_COPY_KIND, plan_id, submitted_at)
            copy = next(c for c in fresh if c.outbox_id == copy.outbox_id)
        if copy.message_id is not None:
            # Without reply_markup the edit also removes the decision buttons.
            await edit_text(context, copy.chat_id, copy.message_id, text)


async def _to_group(app: BotApplication, plan: Plan, text: str, stamp: str) -> list[outbox.Owed]:
    data = app.bot_data
    assert data.db is not None
    group = await registrations.active_for_kecamatan(data.db, plan.kecamatan_code)
    if group is None:
        return []
    return [outbox.Owed(NOTE_KIND, plan.id, plan.kecamatan_code, group.chat_id,
                        {"text": text, "parse_mode": ParseMode.HTML}, f"{plan.kecamatan_code}:{stamp}")]  # fmt: skip


def _wake(app: BotApplication, done: bool) -> None:
    if done and app.bot_data.sender is not None:
        app.bot_data.sender.wake()
