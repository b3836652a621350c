"""Run the real negobot Application (built by the runner) against the fake Bot API server."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Iterator

from telegram import Update
from telegram.ext import AIORateLimiter, TypeHandler

from bot.conversation.sqlite_store import SqliteStore
from bot.telegram.runner import build_application, start_polling, stop_polling
from fake_bot_api import FakeBotApi


class RunningBot:
    """`async with RunningBot(api, db) as bot:` — polling, handlers, error handler, SQLite file."""

    def __init__(self, api: FakeBotApi, db: Path, rate_limiter: AIORateLimiter | None = None,
                 busy_timeout_ms: int = 5000, clock=None, reminder_interval: float = 30.0):
        self.api, self.db, self.rate_limiter, self.busy_timeout_ms = api, db, rate_limiter, busy_timeout_ms
        self.clock, self.reminder_interval = clock, reminder_interval
        self.done: set[int] = set()
        self._changed = asyncio.Event()

    async def __aenter__(self) -> "RunningBot":
        self.store = SqliteStore(self.db, busy_timeout_ms=self.busy_timeout_ms)
        extra = {"clock": self.clock} if self.clock is not None else {}
        self.app = build_application(self.api.token, self.api.base_url, self.store, rate_limiter=self.rate_limiter,
                                     reminder_interval=self.reminder_interval, **extra)
        self.app.add_handler(TypeHandler(Update, self._mark), group=99)   # runs after the bot's handler
        await start_polling(self.app)
        return self

    async def __aexit__(self, *exc) -> None:
        await stop_polling(self.app)
        self.store.close()

    async def _mark(self, update: Update, context) -> None:
        self.done.add(update.update_id)
        self._changed.set()

    async def handled(self, *update_ids: int, timeout: float = 15) -> None:
        """Wait until the bot has finished handling these updates (replies sent, retries included, and
        what they wrote saved — after the replies: TelegramAdapter's write-behind)."""
        async def all_done() -> None:
            while not set(update_ids) <= self.done:
                self._changed.clear()
                await self._changed.wait()
            await self.app.bot_data["telegram_adapter"].settled()
        await asyncio.wait_for(all_done(), timeout)


@contextlib.contextmanager
def database_held_by_another_process(db: Path) -> Iterator[None]:
    """Another process holding the SQLite file's write lock for the duration of the block."""
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sqlite3, sys
        db = sqlite3.connect({str(db)!r}, isolation_level=None)
        db.execute("BEGIN IMMEDIATE"); db.execute("UPDATE profiles SET shop = shop")
        print("locked", flush=True); sys.stdin.read(); db.execute("ROLLBACK")
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        yield
    finally:
        holder.communicate("")


def serve_until_started(api: FakeBotApi, tmp_path: Path, user_id: int, base_url: str | None = None) -> tuple[int, str]:
    """`negobot run` as a merchant starts it (a process of its own, the environment only), sent /start
    by `user_id`, stopped with SIGTERM once it has answered: (exit status, stderr)."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TELEGRAM_BOT_TOKEN": api.token,
           "TELEGRAM_BASE_URL": base_url or api.base_url, "NEGOBOT_DB": str(tmp_path / "bot.sqlite3")}
    proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        api.send_text(user_id, "/start", "en")
        deadline = time.monotonic() + 30
        while not api.chat(user_id) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=30)
    return proc.returncode, err
