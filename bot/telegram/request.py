"""How negobot's Bot API requests travel: aiohttp, behind python-telegram-bot's BaseRequest.

PTB's own transport (HTTPXRequest) spends about half a millisecond of Python in httpx and httpcore
on every request it makes — building the request, the connection pool, reading the answer — before
and after the network (encode/httpx#3215 is the known report). negobot makes two requests per
description (getUpdates, then the answer), so that was more than its whole conversation core.
aiohttp parses HTTP in C: the same sendMessage to the local Bot API stand-in costs 0.23 ms instead of
0.77 (benchmarks/bot_throughput.py has the round trips and the CPU per update).

What stays PTB's: the Bot methods, the rate limiter and the errors PTB raises from the status code and
the answer (this class returns only the status and the body, as BaseRequest asks). What this class
keeps as PTB's HTTPXRequest has it:

- the same timeouts and defaults (read, write, connect, pool; a longer write timeout for uploads);
  aiohttp has no write timeout of its own, so the four together bound each request;
- proxies from the environment (HTTPS_PROXY, NO_PROXY) and certifi's certificates;
- its errors: TimedOut for timeouts, NetworkError for the rest, the aiohttp error as the cause —
  bot.telegram.retry reads the cause to tell a request that never left (NOT_SENT) from one that
  may have arrived.

Requests are one UTF-8 JSON body rather than PTB's percent-encoded form (a Chinese character is nine
bytes there: a case card with its draft and buttons was 5 KB); uploads are multipart forms, as the
Bot API needs.
"""

from __future__ import annotations

import asyncio
import json
import ssl
from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# The request certainly did not reach the Bot API: no connection could be opened (refused,
# unreachable, a certificate refused) or none came free in time (aiohttp's "connect" phase, which
# includes waiting for the pool). Anything later — a read timeout, a connection dropped after the
# request was written — may have been carried out.
NOT_SENT = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)
_DEFAULT = type(BaseRequest.DEFAULT_NONE)       # what a Bot method passes for a timeout it leaves to the request


class AiohttpRequest(BaseRequest):
    """A BaseRequest over one aiohttp ClientSession (see the module)."""

    __slots__ = ("_pool_size", "_timeouts", "_session")

    def __init__(self, connection_pool_size: int = 256, *, read_timeout: float | None = 5.0,
                 write_timeout: float | None = 5.0, connect_timeout: float | None = 5.0,
                 pool_timeout: float | None = 1.0, media_write_timeout: float | None = 20.0):
        self._pool_size = connection_pool_size
        self._timeouts = {"read": read_timeout, "write": write_timeout, "connect": connect_timeout,
                          "pool": pool_timeout, "media write": media_write_timeout}
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts["read"]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, ssl=_certificates())
            self._session = aiohttp.ClientSession(connector=connector, trust_env=True,
                                                  headers={"User-Agent": self.USER_AGENT})

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = BaseRequest.DEFAULT_NONE, write_timeout: Any = BaseRequest.DEFAULT_NONE,
                         connect_timeout: Any = BaseRequest.DEFAULT_NONE,
                         pool_timeout: Any = BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        uploads = request_data is not None and request_data.contains_files
        read = self._given(read_timeout, "read")
        connect = self._given(connect_timeout, "connect")
        pool = self._given(pool_timeout, "pool")
        write = self._given(write_timeout, "media write" if uploads else "write")
        phases = (read, write, connect, pool)
        timeout = aiohttp.ClientTimeout(
            total=None if None in phases else sum(phases),
            connect=None if connect is None or pool is None else connect + pool,   # a free connection, then connected
            sock_connect=connect, sock_read=read)
        body: Any = None
        headers = None
        if uploads:
            body = _form(request_data)
        elif request_data is not None:
            body = json.dumps(request_data.parameters, ensure_ascii=False).encode("utf-8")
            headers = {"Content-Type": "application/json"}
        try:
            async with self._session.request(method, url, data=body, headers=headers, timeout=timeout) as response:
                return response.status, await response.read()
        except aiohttp.ClientConnectorError as err:
            raise NetworkError(f"aiohttp.{type(err).__name__}: {err}") from err
        except (asyncio.TimeoutError, TimeoutError) as err:       # aiohttp's are TimeoutErrors too
            raise TimedOut(f"Timed out ({type(err).__name__})") from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{type(err).__name__}: {err}") from err

    def _given(self, value: Any, name: str) -> float | None:
        """A timeout the Bot method passed, or this request's default for it."""
        return self._timeouts[name] if isinstance(value, _DEFAULT) else value


def _form(request_data: RequestData) -> aiohttp.FormData:
    """An upload as the Bot API takes it: each parameter a JSON-encoded field, each file a part."""
    form = aiohttp.FormData(quote_fields=False)       # UTF-8 file names as they are, as httpx sends them
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form


_CONTEXT: list[ssl.SSLContext] = []


def _certificates() -> ssl.SSLContext:
    """certifi's certificates, as httpx uses (it is installed with httpx, which PTB needs)."""
    if not _CONTEXT:
        try:
            import certifi
            _CONTEXT.append(ssl.create_default_context(cafile=certifi.where()))
        except ImportError:
            _CONTEXT.append(ssl.create_default_context())
    return _CONTEXT[0]


def requests(poll_timeout: float) -> tuple[AiohttpRequest, AiohttpRequest]:
    """(request, get_updates_request) as ApplicationBuilder builds PTB's by default — a pool of 256
    connections for the bot's calls, one for getUpdates with its read timeout — over aiohttp."""
    return (AiohttpRequest(256), AiohttpRequest(1, read_timeout=poll_timeout + 10))


__all__ = ["AiohttpRequest", "NOT_SENT", "requests"]
