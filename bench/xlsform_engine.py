"""XLSForm engine benchmark (issue 11): CPU per answer of the conversation model, 60 questions vs the laporan.

Run from the project root:  .venv/bin/python -m bench.xlsform_engine [--fills 30] [--repeat 3] [--quick]

In-process and without Telegram: each fill starts a session (bot/xlsform/session.py) and answers every question
as the chat view does per message (the current step, its choices, the answer, the next step), so the figure is
the engine's own cost per answer: reading the state, settling relevance and calculates, evaluating constraints
and choice filters with elementpath. Two forms: the built-in laporan (bot/data/xlsforms/laporan.xlsx, with its
424-desa cascade) and a 60-question XLSForm with a relevance and a constraint on every third question (the
issue's second benchmark). The same forms end to end, through the real bot: bench.xlsform_fill.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.xlsform import builtin, session
from bot.xlsform.model import Form, Kind
from bot.xlsform.read import read_xlsform
from tests.support.xlsforms import c, q, xlsform

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
KECAMATAN = {"kecamatan": "32.09.15", "username": "Bench"}


def sixty() -> Form:
    """The 60-question form, read as an upload is read."""
    return read_xlsform(sixty_workbook())


def sixty_workbook() -> bytes:
    """60 questions; every third one is shown only if the one before is not 'lewat' and has a constraint."""
    rows = []
    for i in range(1, 61):
        kind = ("text", "integer", "select_one yn")[i % 3]
        extra = {}
        if i % 3 == 0:
            extra = {"relevant": f"${{q{i - 1}}} != 'lewat'", "constraint": "string-length(.) > 0"}
        elif kind == "integer":
            extra = {"constraint": ". >= 0 and . <= 1000"}
        rows.append(q(kind, f"q{i}", f"Pertanyaan {i}", required="yes", **extra))
    choices = [c("yn", "ya", "Ya"), c("yn", "tidak", "Tidak")]
    return xlsform(rows, choices, {"form_title": "Enam puluh", "form_id": "enam_puluh", "version": "1"})


LAPORAN_ANSWERS = {
    "nama_kegiatan": "Pelatihan sablon remaja", "bidang": "b01", "tanggal": "2026-11-22",
    "lokasi": "32.09.15.1006", "jumlah_peserta": "35", "ppks": "p01 p02", "jumlah_penerima": "12",
    "sumber_dana": "swadaya", "jumlah_dana": "", "hasil": "Remaja mampu menyablon kaos sendiri",
    "kendala": "Peralatan kurang", "foto_file": "",
}  # fmt: skip


def answer_for(form: Form, step: session.Step) -> str:
    question = step.question
    assert question is not None
    if form.form_id == "laporan":
        return LAPORAN_ANSWERS[question.name]
    return {Kind.TEXT: "jawaban", Kind.INTEGER: "12"}.get(question.kind, "ya")


def fill(form: Form) -> int:
    """One person's fill, step by step as the chat does it; returns the answers given."""
    state = session.start(form, NOW, KECAMATAN)
    answers = 0
    while (step := session.current(form, state, NOW)) is not None:
        if step.repeat is not None:
            state = session.more(form, state, False, NOW)
        else:
            if step.question is not None and step.question.list_name:
                session.choices(form, state, step, NOW)
            state = session.answer(form, state, answer_for(form, step), NOW)
        state = session.State.from_json(state.to_json())  # the draft is stored and read back at each answer
        answers += 1
    session.finish(form, state, NOW)
    return answers


def measure(form: Form, fills: int) -> tuple[int, float]:
    fill(form)  # warm-up: parsed expressions and filtered choice lists are cached per process
    start = time.process_time()
    answers = sum(fill(form) for _ in range(fills))
    return answers, time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.xlsform_engine", description=__doc__.splitlines()[0])
    parser.add_argument("--fills", type=int, help="fills of each form per measurement (default 30)")
    parser.add_argument("--repeat", type=int, help="measurements per form (default 3)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 1 fill, 1 repeat (unless given)")
    args = parser.parse_args(argv)
    args.fills = (1 if args.quick else 30) if args.fills is None else args.fills
    args.repeat = (1 if args.quick else 3) if args.repeat is None else args.repeat
    if args.fills < 1 or args.repeat < 1:
        parser.error("--fills and --repeat must be at least 1")
    forms = {"laporan": builtin.form("laporan"), "60 pertanyaan": sixty()}
    per_answer: dict[str, float] = {}
    print(f"{'form':<14} {'answers':>8} {'CPU s':>7} {'ms/answer':>10} {'answers/s':>10}")
    for name, form in forms.items():
        runs = [measure(form, args.fills) for _ in range(args.repeat)]
        answers = runs[0][0]
        cpu = statistics.median(r[1] for r in runs)
        per_answer[name] = cpu / answers
        print(f"{name:<14} {answers:>8} {cpu:>7.2f} {1000 * cpu / answers:>10.2f} {answers / cpu:>10.0f}")
    ratio = per_answer["laporan"] / per_answer["60 pertanyaan"]
    print(f"\n60-question answers/s vs laporan's: {ratio:.2f} (issue 11 target: within 10 %, i.e. >= 0.90)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
