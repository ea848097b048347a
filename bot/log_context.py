"""Log lines say where they happened: the chat (and kecamatan) of the update being handled, on one line each.

The chat is remembered per update in a context variable (asyncio gives each update its own task, and a task's
context follows it into everything it awaits), so no log call has to name it. Journald and `grep` read one event
per line, so a traceback is folded into its line instead of spreading over twenty.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass

FORMAT = "%(asctime)s %(levelname)s %(name)s%(log_where)s: %(message)s"
LINE_BREAK = " | "


@dataclass(frozen=True)
class Where:
    chat_id: int | None = None
    kecamatan: str | None = None

    def suffix(self) -> str:
        """' [chat -4001 kecamatan 32.09.15]', ' [chat 1001]', or '' when nothing is known."""
        parts = []
        if self.chat_id is not None:
            parts.append(f"chat {self.chat_id}")
        if self.kecamatan is not None:
            parts.append(f"kecamatan {self.kecamatan}")
        return f" [{' '.join(parts)}]" if parts else ""


NOWHERE = Where()
_where: ContextVar[Where | None] = ContextVar("log_where", default=None)


def current() -> Where:
    return _where.get() or NOWHERE


def set_where(chat_id: int | None, kecamatan: str | None = None) -> None:
    """From here on, in this task and the tasks it starts, log lines name this chat and kecamatan."""
    _where.set(Where(chat_id, kecamatan))


class OneLineFormatter(logging.Formatter):
    """One line per event: the chat and kecamatan when known, and any traceback folded into the line."""

    def __init__(self) -> None:
        super().__init__(FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        record.log_where = current().suffix()
        return super().format(record).replace("\r\n", "\n").replace("\n", LINE_BREAK)
