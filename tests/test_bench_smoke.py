"""Every benchmark in bench/ runs in its quick mode and prints its table (issue 16: benchmarks that cannot rot).

Each one is started as a user starts it, `python -m bench.<name> --quick`, against the real bot; the test checks
the exit status and the table's header, never the figures, which depend on the machine. The JSON a benchmark
writes goes to a scratch folder (BENCH_RESULTS_DIR), so a run of the suite never overwrites real results.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 300  # a stalled benchmark fails on its own waits (60 s and more) first, with the fake's summary

# The columns of each benchmark's table, in order; a benchmark with two tables has two headers.
HEADERS = {
    "updates": [["workload", "updates", "bare s", "upd/s", "RSS MiB", "bot s", "bot/bare upd/s", "bot/bare RSS"]],
    "forms": [["bot", "answers", "s", "answers/s", "p50 ms", "p95 ms", "RSS MiB", "bot CPU s", "bench CPU s"]],
    "xlsform_fill": [
        ["form", "answers", "s", "answers/s", "p50 ms", "p95 ms", "RSS MiB", "bot CPU s", "CPU ms/answer"]
    ],
    "xlsform_engine": [["form", "answers", "CPU s", "ms/answer", "answers/s"]],
    "broadcast": [["who", "groups", "floor s", "s", "x floor", "1st send", "sends", "502", "429", "lost", "dup"]],
    "burst": [["case", "to admin", "floor s", "s", "x floor", "429", "lost"]],
    "dashboard": [
        ["page", "loads", "server p50", "server p95", "client p50", "client p95"],
        ["workload", "quiet", "loaded", "cost"],
    ],
}


def has_header(stdout: str, columns: list[str]) -> bool:
    """A line that starts with the first column and holds the others after it, in order."""
    for line in stdout.splitlines():
        if not line.startswith(columns[0]):
            continue
        at = 0
        for column in columns:
            at = line.find(column, at)
            if at < 0:
                break
            at += len(column)
        else:
            return True
    return False


def run_quick(name: str, results: Path) -> subprocess.CompletedProcess[str]:
    """`python -m bench.<name> --quick` from the project root; on a timeout its whole process group is killed,
    so no bot it started outlives the test."""
    env = {**os.environ, "BENCH_RESULTS_DIR": str(results)}
    with subprocess.Popen(
        [sys.executable, "-m", f"bench.{name}", "--quick"], cwd=ROOT, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    ) as proc:  # fmt: skip
        try:
            stdout, stderr = proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            stdout, stderr = proc.communicate()
            pytest.fail(f"bench.{name} --quick still running after {TIMEOUT}s:\n{stderr[-3000:]}")
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


@pytest.mark.parametrize("name", HEADERS)
def test_benchmark_runs_quickly_and_prints_its_table(name: str, tmp_path: Path) -> None:
    done = run_quick(name, tmp_path)
    assert done.returncode == 0, f"bench.{name} --quick exited {done.returncode}:\n{done.stderr[-3000:]}"
    for columns in HEADERS[name]:
        assert has_header(done.stdout, columns), f"no table header {columns} in:\n{done.stdout}"
    if name != "xlsform_engine":  # the one that writes no JSON
        assert (tmp_path / f"{name}.json").is_file(), "the results went elsewhere than BENCH_RESULTS_DIR"


def test_every_benchmark_is_smoke_tested() -> None:
    """A new benchmark joins HEADERS (the helpers it starts are run through it)."""
    helpers = {"__init__", "process", "bare_bot", "ptb_broadcast", "ptb_forms"}
    assert {p.stem for p in (ROOT / "bench").glob("*.py")} - helpers == set(HEADERS)
