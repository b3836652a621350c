"""The two WeCom server APIs negobot calls: ``gettoken`` and ``message/send``.

- The access token is cached until shortly before ``expires_in`` runs out, fetched by one request
  however many sends are waiting for it, and refreshed once when a send answers 42001 (expired) or
  40014 (invalid) — a second refusal is an error, not a loop.
- WeCom drops, without an error, messages over 30 a minute (1 000 an hour) to one member from one
  app; the sender paces each member below both, so nothing is lost, only delayed.
- Transient failures — a connection that fails or times out, HTTP 5xx/429, errcode -1 (system
  busy), 45009/45033 (call frequency) — are retried with backoff. A retry after a timeout may
  repeat a request WeCom already acted on, so every message is sent with WeCom's duplicate check
  (``enable_duplicate_check``: the same request JSON within ``duplicate_check_interval`` is
  delivered once) and retried byte for byte. A message that legitimately repeats one sent to the
  same member within that interval (the same help text asked for twice) goes without the check,
  so it is not swallowed.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections import deque

import httpx

log = logging.getLogger("negobot.wecom")

TOKEN_REFRESH_CODES = {42001, 40014}
RETRY_CODES = {-1, 45009, 45033}
DUPLICATE_WINDOW = 300                   # seconds: covers every retry of one message
PER_MEMBER_LIMITS = ((30, 60.0), (1000, 3600.0))   # WeCom: 30 a minute, 1 000 an hour to one member
TOKEN_MARGIN = 300                       # refresh this long before WeCom says the token expires


class WecomApiError(Exception):
    """WeCom refused a call; str() is one line."""

    def __init__(self, errcode: int | None, message: str):
        super().__init__(message)
        self.errcode = errcode


class WecomUnreachable(WecomApiError):
    """No answer from the API after the retries."""


class WecomApi:
    def __init__(self, base_url: str, corp_id: str, secret: str, agent_id: int, *,
                 timeout: float = 10.0, attempts: int = 4, backoff: float = 0.5, max_concurrency: int = 16,
                 per_member_limits=PER_MEMBER_LIMITS, client: httpx.AsyncClient | None = None):
        self.base_url = base_url.rstrip("/")
        self.corp_id, self.secret, self.agent_id = corp_id, secret, agent_id
        self.attempts, self.backoff = attempts, backoff
        self.per_member_limits = per_member_limits
        self._client = client or httpx.AsyncClient(timeout=httpx.Timeout(timeout), trust_env=False)
        self._token: str | None = None
        self._token_expires = 0.0
        self._token_lock = asyncio.Lock()
        self._concurrency = asyncio.Semaphore(max_concurrency)
        self._sent: dict[str, deque[list[float]]] = {}
        self._recent: dict[str, dict[str, float]] = {}     # member → digest of request → when sent with the check
        self.stats = {"sent": 0, "retries": 0, "token_fetches": 0, "paced": 0}

    async def close(self) -> None:
        await self._client.aclose()

    # ---- token ------------------------------------------------------------
    async def token(self, *, stale: str | None = None) -> str:
        """The cached token, fetched when missing, expiring, or equal to `stale` (one WeCom refused)."""
        async with self._token_lock:
            if self._token and self._token != stale and time.monotonic() < self._token_expires:
                return self._token
            answer = await self._call("GET", "/cgi-bin/gettoken", params={"corpid": self.corp_id, "corpsecret": self.secret})
            self.stats["token_fetches"] += 1
            token = answer.get("access_token")
            if not isinstance(token, str) or not token:
                raise WecomApiError(None, "gettoken answered without an access_token")
            expires_in = answer.get("expires_in", 7200)
            expires_in = expires_in if isinstance(expires_in, int) and expires_in > 0 else 7200
            self._token = token
            self._token_expires = time.monotonic() + max(expires_in - TOKEN_MARGIN, expires_in / 2)
            return token

    # ---- sending ----------------------------------------------------------
    async def send_text(self, member: str, content: str) -> None:
        body = {"touser": member, "msgtype": "text", "agentid": self.agent_id, "text": {"content": content},
                "enable_duplicate_check": 1, "duplicate_check_interval": DUPLICATE_WINDOW}
        digest = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        now = time.monotonic()
        recent = self._recent.setdefault(member, {})
        for old in [d for d, at in recent.items() if now - at > DUPLICATE_WINDOW]:
            del recent[old]
        if digest in recent:        # a legitimate repeat: WeCom's check would swallow it
            body["enable_duplicate_check"] = 0
            del body["duplicate_check_interval"]
        else:
            recent[digest] = now
        slot = await self._pace(member)
        try:
            token = await self.token()
            try:
                await self._call("POST", "/cgi-bin/message/send", params={"access_token": token}, json_body=body)
            except WecomApiError as exc:
                if exc.errcode not in TOKEN_REFRESH_CODES:
                    raise
                log.info("access token refused (%s); fetching a new one", exc.errcode)
                token = await self.token(stale=token)
                await self._call("POST", "/cgi-bin/message/send", params={"access_token": token}, json_body=body)
        finally:
            slot[0] = time.monotonic()      # counted from when WeCom has certainly seen it: never early
        self.stats["sent"] += 1

    async def _pace(self, member: str) -> list[float]:
        """Wait until one more message to `member` stays within WeCom's per-member limits; the slot
        it takes in the member's history (its time is set again once the send is done)."""
        history = self._sent.setdefault(member, deque())
        longest = max(window for _count, window in self.per_member_limits)
        while True:
            now = time.monotonic()
            while history and now - history[0][0] > longest:
                history.popleft()
            wait = 0.0
            for count, window in self.per_member_limits:
                inside = sorted(slot[0] for slot in history if now - slot[0] < window)
                if len(inside) >= count:
                    wait = max(wait, inside[-count] + window - now)
            if wait <= 0:
                slot = [now]
                history.append(slot)
                return slot
            log.info("pacing messages to %s for %.1f s (WeCom's per-member limit)", member, wait)
            self.stats["paced"] += 1
            await asyncio.sleep(wait)

    # ---- one call, retried when that is safe --------------------------------
    async def _call(self, method: str, path: str, *, params: dict, json_body: dict | None = None) -> dict:
        url = self.base_url + path
        content = json.dumps(json_body, ensure_ascii=False).encode("utf-8") if json_body is not None else None
        headers = {"Content-Type": "application/json; charset=utf-8"} if content is not None else None
        problem = ""
        for attempt in range(self.attempts):
            if attempt:
                self.stats["retries"] += 1
                await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                async with self._concurrency:
                    response = await self._client.request(method, url, params=params, content=content, headers=headers)
            except httpx.TransportError as exc:     # refused, reset, timed out: try again
                problem = f"{type(exc).__name__}: {exc}".rstrip(": ")
                continue
            if response.status_code == 429 or response.status_code >= 500:
                problem = f"HTTP {response.status_code}"
                continue
            try:
                answer = response.json()
                errcode = int(answer.get("errcode", 0))
            except (ValueError, TypeError, AttributeError):
                raise WecomApiError(None, f"{path} answered HTTP {response.status_code} without WeCom's JSON") from None
            if errcode == 0:
                return answer
            if errcode in RETRY_CODES:
                problem = f"errcode {errcode} {answer.get('errmsg', '')}".strip()
                continue
            raise WecomApiError(errcode, f"{path} refused: errcode {errcode} {answer.get('errmsg', '')}".strip())
        raise WecomUnreachable(None, f"{path} did not answer after {self.attempts} tries ({problem})")


__all__ = ["WecomApi", "WecomApiError", "WecomUnreachable", "DUPLICATE_WINDOW"]
