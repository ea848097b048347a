"""The README's two commands are what CI runs, so a newcomer's path is the tested path."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"))


def test_readme_has_exactly_two_commands():
    assert len(readme_commands()) == 2


def test_ci_installs_and_tests_exactly_as_the_readme_says():
    install_and_start, run_tests = readme_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    install = install_and_start.removesuffix(" && .venv/bin/python -m bot")
    for step in install.split(" && "):
        step = step.replace("pip install ", "pip install --quiet --disable-pip-version-check ")
        assert step in ci, step
    assert run_tests in ci


def test_env_example_documents_every_setting():
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    config = (ROOT / "bot" / "config.py").read_text(encoding="utf-8")
    for name in set(re.findall(r'values\.get\("([A-Z_]+)"', config)):
        assert f"{name}=" in example, name
