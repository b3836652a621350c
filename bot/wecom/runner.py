"""`negobot wecom`: settings, start-up checks, the callback server and a clean stop.

Every start-up failure a person can fix — a missing or malformed setting, a CorpID or Secret WeCom
refuses, an API that cannot be reached, an unusable settings database, a port that is taken — ends
as one line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
import time

import tornado.ioloop

from bot.conversation.core import Conversation
from bot.conversation.sqlite_store import SqliteStore, StoreError, default_db_path
from bot.wecom.api import WecomApi, WecomApiError, WecomUnreachable
from bot.wecom.config import SettingsError, WecomSettings, load_settings
from bot.wecom.protocol import CallbackCrypto
from bot.wecom.server import WecomChannel, build_app, start_server

log = logging.getLogger("negobot.wecom")

# What gettoken's refusals mean for the person setting negobot up.
REMINDER_INTERVAL_SECONDS = 30.0   # how often due reminders are claimed and sent
_TOKEN_ERRORS = {
    40013: "WeCom refused the CorpID (errcode 40013): check WECOM_CORP_ID (我的企业 → 企业信息 → 企业ID)",
    40001: "WeCom refused the Secret (errcode 40001): check WECOM_SECRET (应用管理 → your app → Secret)",
    40091: "WeCom refused the Secret (errcode 40091): check WECOM_SECRET (应用管理 → your app → Secret)",
    60020: "WeCom refused this server's IP address (errcode 60020): add it to the app's 企业可信IP",
}


class StartupError(Exception):
    """One line for the person starting negobot."""


class WecomService:
    """The running channel: API client, conversation, callback server. `await start()`, `await stop()`."""

    def __init__(self, settings: WecomSettings, store, *, engine=None, api: WecomApi | None = None,
                 clock=time.time, reminder_interval: float = REMINDER_INTERVAL_SECONDS):
        if engine is None:
            from bot.engine.drafts import default_engine

            engine = default_engine()
        self.settings = settings
        self.api = api or WecomApi(settings.api_base_url, settings.corp_id, settings.secret, settings.agent_id)
        self.conversation = Conversation(engine, store, clock=clock)
        self.reminder_interval = reminder_interval
        self._reminders: tornado.ioloop.PeriodicCallback | None = None
        self.crypto = CallbackCrypto(settings.token, settings.aes_key, settings.corp_id, settings.agent_id)
        self.channel = WecomChannel(self.conversation, self.api, claim_prefix=f"wecom:{settings.corp_id}:{settings.agent_id}")
        self.server = None
        self.port: int | None = None

    async def check_api(self) -> None:
        """Fetch a token once, so a refused CorpID/Secret or an unreachable API is one line at start."""
        try:
            await self.api.token()
        except WecomUnreachable as exc:
            raise StartupError(f"cannot reach the WeCom API at {self.settings.api_base_url}: {exc}") from None
        except WecomApiError as exc:
            raise StartupError(_TOKEN_ERRORS.get(exc.errcode, f"WeCom refused the app's credentials: {exc}")) from None

    async def start(self) -> int:
        app = build_app(self.crypto, self.channel, self.settings.path)
        try:
            self.server, self.port = await start_server(app, self.settings.listen, self.settings.port)
        except OSError as exc:
            raise StartupError(f"cannot listen on {self.settings.listen}:{self.settings.port}: {exc.strerror or exc}") from None
        self._reminders = tornado.ioloop.PeriodicCallback(self.channel.deliver_reminders, self.reminder_interval * 1000)
        self._reminders.start()
        return self.port

    async def stop(self, drain_timeout: float = 30.0) -> None:
        if self._reminders is not None:
            self._reminders.stop()
        if self.server is not None:
            self.server.stop()
        try:
            await asyncio.wait_for(self.channel.drain(), drain_timeout)
        except asyncio.TimeoutError:
            log.warning("stopped with answers still being sent")
        if self.server is not None:
            await self.server.close_all_connections()
        await self.api.close()


def run_wecom(args: argparse.Namespace) -> int:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
    try:
        settings = load_settings(args, os.environ, default_db_path())
        try:
            store = SqliteStore(settings.db)
        except StoreError as exc:
            raise StartupError(str(exc)) from None
        try:
            asyncio.run(_serve(settings, store))
        finally:
            store.close()
    except (SettingsError, StartupError) as exc:
        print(f"negobot: {exc}", file=sys.stderr)
        return 1
    return 0


async def _serve(settings: WecomSettings, store) -> None:
    service = WecomService(settings, store)
    try:
        await service.check_api()
        port = await service.start()
    except BaseException:
        await service.api.close()
        raise
    log.info("serving the WeCom callback on http://%s:%s%s", settings.listen, port, settings.path)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass
    try:
        await stop.wait()
    finally:
        log.info("stopping: answering what is queued")
        await service.stop()


__all__ = ["WecomService", "StartupError", "run_wecom"]
