"""negobot's Bot API transport (bot/telegram/request.py) against real HTTP servers on 127.0.0.1:
uploads, timeouts, a full pool, a refused port, and a proxy from the environment."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket

import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import NetworkError, TimedOut

from bot.telegram.request import AiohttpRequest
from bot.telegram.retry import never_sent, safe_to_retry
from fake_bot_api import TOKEN

USER = {"id": 1, "is_bot": True, "first_name": "negobot", "username": "negobot_test_bot"}


def _message(chat_id: int, **extra) -> dict:
    return {"message_id": 7, "date": 0, "chat": {"id": chat_id, "type": "private"}, **extra}


class _Api:
    """A Bot API stand-in on aiohttp's server that records what each call received."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.received: list[tuple[str, str, dict]] = []     # (method, content type, fields)
        self.hosts: list[str] = []

    async def handle(self, request: web.Request) -> web.Response:
        method = request.path.rsplit("/", 1)[-1]
        self.hosts.append(request.host)
        if request.content_type == "multipart/form-data":
            fields = {}
            async for part in await request.multipart():
                fields[part.name] = (part.filename, await part.read()) if part.filename else await part.text()
        elif request.can_read_body:
            fields = await request.json()
        else:
            fields = {}
        self.received.append((method, request.content_type, fields))
        await asyncio.sleep(self.delay)
        result = USER if method == "getMe" else _message(int(fields.get("chat_id", 0)), text="ok")
        return web.json_response({"ok": True, "result": result})


@contextlib.asynccontextmanager
async def _served(api: _Api):
    """`api` on a port of 127.0.0.1 for the block: yields the port."""
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", api.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield site._server.sockets[0].getsockname()[1]
    finally:
        await runner.cleanup()


@contextlib.asynccontextmanager
async def _opened(request: AiohttpRequest):
    """The request initialised for the block, as a Bot would, and shut down after it."""
    await request.initialize()
    try:
        yield request
    finally:
        await request.shutdown()


def _send_url(port: int) -> str:
    return f"http://127.0.0.1:{port}/bot{TOKEN}/sendMessage"


async def test_a_message_goes_as_utf8_json_and_an_upload_as_a_multipart_form():
    api = _Api()
    async with _served(api) as port:
        async with Bot(TOKEN, base_url=f"http://127.0.0.1:{port}/bot", request=AiohttpRequest()) as bot:
            await bot.send_message(5, "退回来少了一件")
            await bot.send_document(5, b"%PDF-1.4 receipt", filename="回执.pdf", caption="退货回执")
    (_me, (method, kind, fields), (upload, upload_kind, upload_fields)) = api.received
    assert (method, kind, fields["text"], fields["chat_id"]) == ("sendMessage", "application/json", "退回来少了一件", 5)
    assert (upload, upload_kind) == ("sendDocument", "multipart/form-data")
    assert upload_fields["document"] == ("回执.pdf", b"%PDF-1.4 receipt")
    assert upload_fields["caption"] == "退货回执" and json.loads(upload_fields["chat_id"]) == 5


async def test_an_answer_that_does_not_come_in_time_is_a_timeout_that_is_not_sent_again():
    api = _Api(delay=2.0)
    async with _served(api) as port, _opened(AiohttpRequest(read_timeout=0.3)) as request:
        with pytest.raises(TimedOut) as caught:
            await request.post(_send_url(port), None)
    assert len(api.received) == 1                      # it did arrive: the answer was what never came back
    assert not never_sent(caught.value) and not safe_to_retry("sendMessage", caught.value)
    assert safe_to_retry("editMessageText", caught.value)


async def test_a_full_pool_times_out_as_a_request_that_never_left():
    api = _Api(delay=1.0)
    async with _served(api) as port, _opened(AiohttpRequest(1, pool_timeout=0.1, connect_timeout=0.1)) as request:
        busy = asyncio.create_task(request.post(_send_url(port), None))      # takes the only connection for a second
        await asyncio.sleep(0.2)
        with pytest.raises(TimedOut) as caught:
            await request.post(_send_url(port), None)
        await busy
    assert len(api.received) == 1
    assert never_sent(caught.value) and safe_to_retry("sendMessage", caught.value)


async def test_a_refused_connection_is_a_network_error_known_never_to_have_left():
    with socket.socket() as probe:               # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with _opened(AiohttpRequest()) as request:
        with pytest.raises(NetworkError) as caught:
            await request.post(_send_url(port), None)
    assert not isinstance(caught.value, TimedOut)
    assert never_sent(caught.value) and safe_to_retry("sendMessage", caught.value)


async def test_a_proxy_from_the_environment_carries_the_requests(monkeypatch):
    """Mainland merchants reach Telegram through a proxy: HTTPS_PROXY / HTTP_PROXY, as PTB's own transport reads them."""
    proxy = _Api()
    async with _served(proxy) as port:
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        async with Bot(TOKEN, base_url="http://api.telegram.invalid/bot", request=AiohttpRequest()) as bot:
            me = await bot.get_me()
    assert me.username == "negobot_test_bot"
    assert proxy.hosts and set(proxy.hosts) == {"api.telegram.invalid"}     # asked of the proxy, for the Bot API's host
