"""Run the real WeCom channel (WecomService: callback server, API client, SQLite store) against the stand-in."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from bot.conversation.sqlite_store import SqliteStore
from bot.wecom.api import WecomApi
from bot.wecom.config import WecomSettings
from bot.wecom.runner import WecomService
from wecom_standin import StandinWecom


def settings_for(standin: StandinWecom, db: Path) -> WecomSettings:
    return WecomSettings(corp_id=standin.corp_id, agent_id=standin.agent_id, secret=standin.secret,
                         token=standin.token, aes_key=standin.aes_key, api_base_url=standin.base_url, db=db,
                         listen="127.0.0.1", port=0, path="/wecom")


@asynccontextmanager
async def running_service(standin: StandinWecom, db: Path, engine, clock=None, **api_options):
    settings = settings_for(standin, db)
    store = SqliteStore(db)
    api = WecomApi(settings.api_base_url, settings.corp_id, settings.secret, settings.agent_id,
                   **{"backoff": 0.01, **api_options})
    extra = {"clock": clock, "reminder_interval": 3600.0} if clock is not None else {}
    service = WecomService(settings, store, engine=engine, api=api, **extra)
    await service.check_api()
    port = await service.start()
    standin.callback_url = f"http://127.0.0.1:{port}/wecom"
    try:
        yield service
    finally:
        await service.stop()
        store.close()


async def say(standin: StandinWecom, service: WecomService, member: str, text: str, **kw) -> list[str]:
    """`member` sends `text`; once negobot has answered, the messages it sent back for it."""
    before = len(standin.inbox(member))
    statuses = await standin.send(member, text, **kw)
    assert statuses[-1] == 200, statuses
    await service.channel.drain()
    return standin.inbox(member)[before:]
