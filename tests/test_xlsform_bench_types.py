"""The form of issue 18's new types that bench.xlsform_fill measures (kind xf-types) is filled to the end through the
real bot by the bench's own script, and stores what the bench checks: the benchmark cannot drift from the bot."""

from __future__ import annotations

from bench.xlsform_fill import CHECKS, TYPES_FILES, types_workbook, xf_types
from storage import xlsforms
from tests.conftest import ADMIN_1, ANGGOTA
from tests.test_forms import press
from tests.test_registration import approve_sumber
from tests.test_xlsform_attachments import send_document, zipped
from tests.test_xlsform_bot import follow_notice


async def test_the_bench_script_fills_the_types_form_to_the_end(world):
    await approve_sumber(world)
    reply = await send_document(world, ADMIN_1, zipped({"jenis_baru.xlsx": types_workbook(), **TYPES_FILES}), "j.zip")
    assert "Lampiran terbaca" in reply["text"]
    await press(world, ADMIN_1, "Terbitkan")
    await press(world, ADMIN_1, "Sekali (batas 7 hari)")
    await press(world, ADMIN_1, "Semua kecamatan aktif")
    await follow_notice(world, ANGGOTA, "Jenis baru")  # the bench's first step, /start xf<id>-<kecamatan>
    for step in xf_types(0)[1:]:
        if step.action == "text":
            await world.say(ANGGOTA, ANGGOTA, step.value)
        else:
            await press(world, ANGGOTA, step.value)
    [form] = await xlsforms.uploaded_forms(world.bot.db)
    [submission] = await xlsforms.submissions(world.bot.db, form.id)
    answers = submission.data["answers"]
    assert {k: answers.get(k) for k in CHECKS["xf-types"]} == CHECKS["xf-types"]
    assert answers["perangkat"] == f"telegram:{ANGGOTA}" and answers["telepon"] == ""
    assert answers["audit"].startswith("question,answered_at\n")
    assert answers["jalur"].count(";") == 1 and answers["waktu"].startswith("2026-11-28T14:30")
