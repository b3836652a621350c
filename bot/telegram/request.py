"""python-telegram-bot's HTTPX request, posting a JSON body instead of a form-urlencoded one.

The Bot API takes both. PTB always sends a form: every parameter JSON-encoded on its own (the
reply markup too), then the whole percent-encoded — a Chinese character becomes nine bytes
(``%E4%B8%AD``), and a case card with its draft and ten buttons about 5 KB that Python encodes
byte by byte and the server decodes again. As one UTF-8 JSON document the same request is a third
of that size and is encoded and parsed in C. Requests that upload files keep PTB's multipart form.

Only the body changes: timeouts, connection pooling, the errors PTB raises (and so what
bot.telegram.retry may retry) are PTB's own, as the request goes through HTTPXRequest.do_request.
"""

from __future__ import annotations

import contextvars
import json
from typing import Any

import httpx
from telegram.request import HTTPXRequest, RequestData

# The JSON body of the request being made in this task (set around HTTPXRequest.do_request).
_BODY: contextvars.ContextVar[bytes | None] = contextvars.ContextVar("negobot_json_body", default=None)


class _JsonBodyClient(httpx.AsyncClient):
    async def request(self, method: str, url: Any, *, data: Any = None, files: Any = None,
                      headers: Any = None, **kwargs: Any) -> httpx.Response:
        body = _BODY.get()
        if body is None:
            return await super().request(method, url, data=data, files=files, headers=headers, **kwargs)
        headers = {**(headers or {}), "Content-Type": "application/json"}
        return await super().request(method, url, content=body, headers=headers, **kwargs)


class JsonHTTPXRequest(HTTPXRequest):
    """HTTPXRequest with a JSON body (see the module)."""

    def _build_client(self) -> httpx.AsyncClient:
        return _JsonBodyClient(**self._client_kwargs)

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        if request_data is None or request_data.contains_files:
            return await super().do_request(url, method, request_data, *args, **kwargs)
        token = _BODY.set(json.dumps(request_data.parameters, ensure_ascii=False).encode("utf-8"))
        try:
            # No request data for PTB to encode as a form a second time: the client posts the body.
            return await super().do_request(url, method, None, *args, **kwargs)
        finally:
            _BODY.reset(token)


def requests(poll_timeout: float) -> tuple[JsonHTTPXRequest, JsonHTTPXRequest]:
    """(request, get_updates_request) as ApplicationBuilder builds them by default — a pool of 256
    connections for the bot's calls, one for getUpdates with its read timeout — but posting JSON."""
    return (JsonHTTPXRequest(connection_pool_size=256),
            JsonHTTPXRequest(connection_pool_size=1, read_timeout=poll_timeout + 10))


__all__ = ["JsonHTTPXRequest", "requests"]
