"""The pengurus's menu of one kecamatan's program kerja for a year, in the private chat: where the plan stands,
its programs as a short list, and the buttons that fit its status (handlers/program_kerja.py handles them).

Button data: pm:<action>:<kecamatan digits>:<year>[:<program uid>] (at most 32 bytes). The template's button is
the Excel side's: pkx:tpl:<kecamatan digits>:<year>.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, User

from bot import dates
from bot.context import BotContext
from bot.forms.parse import format_rupiah
from bot.program_kerja import web_link
from bot.program_kerja.model import Program, bulan_label, planning_year
from bot.sending import show_in_place
from bot.texts import program_chat as t
from bot.texts import program_kerja as labels
from bot.wilayah import kecamatan_by_code
from storage import program_kerja
from storage.program_kerja import ACCEPTED, EDITABLE, OPEN, SUBMITTED, Plan


def digits(code: str) -> str:
    return code.replace(".", "")


def code_of(digits_: str) -> str:
    return f"{digits_[:2]}.{digits_[2:4]}.{digits_[4:]}"


def data(action: str, code: str, year: int, uid: str | None = None) -> str:
    return f"pm:{action}:{digits(code)}:{year}" + (f":{uid}" if uid else "")


def today(context: BotContext) -> date:
    return context.now().astimezone(context.config.timezone).date()


def years(context: BotContext) -> tuple[int, int]:
    """The years a pengurus may plan: this one and the next (WIB)."""
    return today(context).year, today(context).year + 1


def default_year(context: BotContext) -> int:
    return planning_year(today(context))


@dataclass(frozen=True)
class Shown:
    """The version of a year's plan the menu shows (the open one, else the one in force), and its programs."""

    plan: Plan | None
    in_force: Plan | None
    programs: list[Program]

    @property
    def editable(self) -> bool:
        """Tambah, Ubah, Hapus and Ajukan fit: a draft, a plan sent back, or nothing yet."""
        return self.plan is None or self.plan.status in EDITABLE

    @property
    def waiting(self) -> bool:
        return self.plan is not None and self.plan.status == SUBMITTED

    @property
    def approved(self) -> bool:
        return self.plan is not None and self.plan.status == ACCEPTED


async def shown_plan(context: BotContext, code: str, year: int) -> Shown:
    state = (await program_kerja.year_states(context.db, year, code)).get(code)
    latest = state.latest if state else None
    in_force = state.in_force if state else None
    plan = latest if latest is not None and latest.status in OPEN else in_force
    programs = await program_kerja.programs(context.db, plan.id) if plan is not None else []
    return Shown(plan, in_force, programs)


def listing(programs: list[Program]) -> str:
    lines = [t.program_line(i, p.nama, bulan_label(p.bulan), format_rupiah(p.anggaran))
             for i, p in enumerate(programs, start=1)]  # fmt: skip
    return t.program_list(lines, format_rupiah(sum(p.anggaran for p in programs)))


def title(code: str, year: int, plan: Plan | None) -> str:
    kecamatan = kecamatan_by_code(code)
    return labels.plan_title(year, kecamatan.name if kecamatan else code, plan.version if plan else 1)


async def show(context: BotContext, chat_id: int, user: User, code: str, year: int, *,
               in_place_of: int | None = None) -> None:  # fmt: skip
    """The menu of this kecamatan's plan for the year (the caller has checked that `user` is its pengurus)."""
    shown = await shown_plan(context, code, year)
    plan = shown.plan
    deadline = await program_kerja.deadline(context.db, year)
    link = await web_link.login_link(context, user, code)
    status = labels.STATUS_LABELS[plan.status if plan else "belum"]
    older = shown.in_force  # a revision being drafted or reviewed: the approved version stays in force meanwhile
    in_force = older.version if older is not None and plan is not None and plan.id != older.id else None
    note = plan.review_note if plan is not None and plan.status == "perlu_perbaikan" else None
    text = t.menu(
        title(code, year, plan), status, plan.version if plan else None, note=note, waiting=shown.waiting,
        in_force=in_force,
        deadline=dates.long_date(deadline) if deadline else None, listing=listing(shown.programs),
        link_minutes=web_link.LINK_MINUTES if link else None,
    )  # fmt: skip
    await show_in_place(context, chat_id, text, _keyboard(context, shown, code, year, link), in_place_of)


def _keyboard(context: BotContext, shown: Shown, code: str, year: int, link: str | None) -> InlineKeyboardMarkup:
    rows: list[list[InlineKeyboardButton]] = []
    if shown.editable:
        rows.append([InlineKeyboardButton(t.BUTTON_ADD, callback_data=data("a", code, year))])
        if shown.programs:
            rows.append([InlineKeyboardButton(t.BUTTON_CHANGE, callback_data=data("u", code, year)),
                         InlineKeyboardButton(t.BUTTON_REMOVE, callback_data=data("h", code, year))])  # fmt: skip
        rows.append([InlineKeyboardButton(t.BUTTON_SUBMIT, callback_data=data("s", code, year))])
    elif shown.approved:
        rows.append([InlineKeyboardButton(t.BUTTON_REVISE, callback_data=data("p", code, year))])
    rows.append([InlineKeyboardButton(t.BUTTON_TEMPLATE, callback_data=f"pkx:tpl:{digits(code)}:{year}")])
    if link is not None:
        rows.append([InlineKeyboardButton(t.BUTTON_LAPTOP, url=link)])
    other = next(y for y in years(context) if y != year) if year in years(context) else default_year(context)
    rows.append([InlineKeyboardButton(t.year_button(other), callback_data=data("m", code, other))])
    return InlineKeyboardMarkup(rows)


def pick_program(programs: list[Program], action: str, code: str, year: int) -> InlineKeyboardMarkup:
    """One button per program (Ubah or Hapus), then back to the menu."""
    rows = [[InlineKeyboardButton(f"{i}. {p.nama[:50]}", callback_data=data(action, code, year, p.uid))]
            for i, p in enumerate(programs, start=1)]  # fmt: skip
    rows.append([InlineKeyboardButton(t.BUTTON_MENU, callback_data=data("m", code, year))])
    return InlineKeyboardMarkup(rows)


def confirm(yes: str, yes_data: str, code: str, year: int) -> InlineKeyboardMarkup:
    back = InlineKeyboardButton(t.BUTTON_MENU, callback_data=data("m", code, year))
    return InlineKeyboardMarkup([[InlineKeyboardButton(yes, callback_data=yes_data), back]])
