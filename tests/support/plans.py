"""Program kerja arranged in storage for tests whose subject is what reads a plan (realization, pages, LPJ)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.program_kerja.model import KECAMATAN_LEVEL, Program, read_program
from bot.wilayah import kecamatan_by_code
from storage import program_kerja
from storage.program_kerja import Plan


def program_input(**overrides: Any) -> dict[str, Any]:
    """What a pengurus would type for one program (strings, as the page and the template give them)."""
    values: dict[str, Any] = {
        "nama": "Pelatihan sablon remaja",
        "bidang": "Pendidikan dan Pelatihan",
        "tujuan": "Remaja putus sekolah punya keterampilan usaha",
        "sasaran_ppks": "PPKS-01",
        "sasaran_lain": "Pemuda",
        "bulan": "Mar, Jun",
        "lokasi": "Tingkat kecamatan",
        "target_peserta": "30",
        "target_penerima": "20",
        "anggaran": "1.500.000",
        "sumber_dana": "APBDes",
        "penanggung_jawab": "Ketua bidang diklat",
        "indikator": "30 remaja mampu menyablon kaos",
    }
    values.update(overrides)
    return values


def program(kecamatan_code: str, **overrides: Any) -> Program:
    kecamatan = kecamatan_by_code(kecamatan_code)
    assert kecamatan is not None
    read = read_program(program_input(**overrides), kecamatan, uid=overrides.get("uid"))
    assert read.program is not None, read.problems
    return read.program


async def plan_with(db, kecamatan_code: str, year: int, programs: list[Program], *, now: datetime,
                    user_id: int = 2001, user_name: str = "Asep") -> Plan:  # type: ignore[no-untyped-def]  # fmt: skip
    """An editable version of the kecamatan's plan holding exactly these programs."""
    plan = await program_kerja.editable_plan(db, kecamatan_code, year, user_id=user_id, user_name=user_name, now=now)
    assert await program_kerja.replace_programs(db, plan.id, programs, now=now)
    return plan


async def approved_plan(db, kecamatan_code: str, year: int, programs: list[Program], *, now: datetime,
                        admin_id: int = 1001) -> Plan:  # type: ignore[no-untyped-def]  # fmt: skip
    """A plan submitted and accepted in storage (no messages owed): the one in force for the year."""
    plan = await plan_with(db, kecamatan_code, year, programs, now=now)
    assert await program_kerja.submit(db, plan.id, user_id=2001, user_name="Asep", now=now, owed=[])
    assert await program_kerja.decide(db, plan.id, status=program_kerja.ACCEPTED, note=None, admin_id=admin_id,
                                      admin_name="Siti", now=now, owed=[])  # fmt: skip
    found = await program_kerja.get_plan(db, plan.id)
    assert found is not None
    return found


__all__ = ["KECAMATAN_LEVEL", "approved_plan", "plan_with", "program", "program_input"]
