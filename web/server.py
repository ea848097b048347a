"""The dashboard's HTTP server (uvicorn), run inside the bot's own event loop from post_init to post_stop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Iterator

import uvicorn

from bot.context import BotApplication
from web.app import create_app

logger = logging.getLogger(__name__)


class _Server(uvicorn.Server):
    # uvicorn would take SIGINT/SIGTERM for itself; the bot's own runner handles them and stops us in post_stop.
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class DashboardServer:
    def __init__(self, bot_app: BotApplication, listen: str, port: int) -> None:
        self.app = create_app(bot_app)
        # A stop waits for the pages in flight, but not for ever (systemd allows 90 s for the whole bot).
        config = uvicorn.Config(
            self.app, log_config=None, access_log=False, lifespan="off", proxy_headers=False,
            timeout_graceful_shutdown=10,
        )  # fmt: skip
        self._server = _Server(config)
        self._socket = socket.create_server((listen, port), reuse_port=False)
        self.port: int = self._socket.getsockname()[1]
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.app.state.dash.reads.open()
        self._task = asyncio.get_running_loop().create_task(self._server.serve(sockets=[self._socket]))
        while not self._server.started:
            if self._task.done():
                self._task.result()  # raises what stopped it
            await asyncio.sleep(0.01)
        logger.info("Dashboard listening on port %s", self.port)

    async def stop(self) -> None:
        """Finish the requests in flight (a review being decided), then close."""
        if self._task is None:
            return
        self._server.should_exit = True
        await self._task
        self._task = None
        self._socket.close()
        await self.app.state.dash.reads.close()
