"""A stored submission opened again as a conversation state, for its correction: every answer in place, every
step counted as passed, the summary on screen (where Ubah changes what Dinsos asked to be corrected)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.xlsform import session
from bot.xlsform.model import Form
from bot.xlsform.session import State


def reopen(form: Form, data: dict[str, Any], now: datetime) -> State:
    """The state a submission's `data` ({"answers", "repeats"}) was sent from, shown at its summary."""
    answers = {str(k): str(v) for k, v in (data.get("answers") or {}).items()}
    repeats = {str(k): int(v) for k, v in (data.get("repeats") or {}).items()}
    state = State(answers=answers, repeats=repeats, started_at=now.isoformat(timespec="seconds"))
    found = session.steps(form, state, now)
    return replace(state, passed=tuple(step.key for step in found), history=(), current=None)
