"""Where each kecamatan's program kerja for a year stands: its versions' state and the realization of the plan in
force, read once for all kecamatan. /programkerja (admins), /rekap and the weekly digest show it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from bot.program_kerja import realization
from bot.program_kerja.model import Program
from bot.program_kerja.realization import ProgramRealization, Totals
from bot.wilayah import kecamatan_by_code
from storage import program_kerja
from storage.db import Database
from storage.program_kerja import Plan


@dataclass(frozen=True)
class Standing:
    code: str
    name: str
    latest: Plan | None
    in_force: Plan | None
    programs: tuple[Program, ...]  # of the plan in force, else of the newest version
    realized: tuple[ProgramRealization, ...]  # of the plan in force only: a draft realizes nothing
    totals: Totals

    @property
    def submitted(self) -> bool:
        """A version waits for Dinsos or one is approved: nothing to remind the group of."""
        return self.in_force is not None or (self.latest is not None and self.latest.status == program_kerja.SUBMITTED)

    @property
    def anggaran(self) -> int:
        return sum(p.anggaran for p in self.programs)


async def standings(db: Database, year: int, today: date, codes: Collection[str] | None = None) -> list[Standing]:
    """The standing of each kecamatan in `codes` (all 40 when None), in code order."""
    states = await program_kerja.year_states(db, year)
    in_force = await program_kerja.in_force_programs(db, year)
    activities = await program_kerja.activities(db, year)
    out = []
    for code, state in states.items():
        if codes is not None and code not in codes:
            continue
        mine = [a for a in activities if a.kecamatan_code == code]
        programs = in_force.get(code, [])
        realized = realization.realize(programs, mine, year=year, today=today)
        shown = programs
        if state.in_force is None and state.latest is not None:
            shown = await program_kerja.programs(db, state.latest.id)
        kecamatan = kecamatan_by_code(code)
        name = kecamatan.name if kecamatan else code
        totals = realization.totals(realized, mine)
        out.append(Standing(code, name, state.latest, state.in_force, tuple(shown), tuple(realized), totals))
    return out
