"""The typed context every handler receives: `context.db`, `context.config`, `context.clock`."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.clock import Clock, SystemClock

if TYPE_CHECKING:
    from bot.config import Config
    from bot.outbox_sender import OutboxSender
    from storage.db import Database


@dataclass
class BotData:
    """What the whole application shares; filled in by build_application()."""

    config: Config | None = None
    db: Database | None = None
    clock: Clock = field(default_factory=SystemClock)
    sender: OutboxSender | None = None
    menus: asyncio.Task[bool] | None = None  # setting the command menus, retried in the background
    # The dashboard's web server (web.server.DashboardServer) while it runs; None when DASHBOARD_URL is unset.
    dashboard: Any = None


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    # The Telegram update being handled (None in a job): what a form answer records, so that the same update
    # handled again after a crash is recognised as taken.
    update_id: int | None = None

    @classmethod
    def from_update(cls, update: object, application: Any) -> BotContext:
        context = super().from_update(update, application)
        context.update_id = getattr(update, "update_id", None)
        return context

    @property
    def db(self) -> Database:
        db = self.bot_data.db
        if db is None:
            raise RuntimeError("database not opened: post_init has not run")
        return db

    @property
    def config(self) -> Config:
        assert self.bot_data.config is not None
        return self.bot_data.config

    @property
    def clock(self) -> Clock:
        return self.bot_data.clock

    @property
    def sender(self) -> OutboxSender:
        sender = self.bot_data.sender
        if sender is None:
            raise RuntimeError("outbox sender not started: post_init has not run")
        return sender

    def now(self) -> datetime:
        return self.bot_data.clock.now()

    def is_dinsos_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.config.admin_ids


BotApplication = Application[ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], BotData, Any]
