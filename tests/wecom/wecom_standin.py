"""A stand-in for WeCom on 127.0.0.1: the callback sender and the server API, strict where WeCom is.

It signs and encrypts callbacks as WeCom's 加解密方案 describes — written here from the spec, on the
`cryptography` package's AES and hashlib's SHA-1, independently of wechatpy, and checked against
the sample values Tencent publishes with WXBizMsgCrypt (tests/wecom/test_wecom_crypto.py):

- msg_signature = SHA-1 over the sorted token, timestamp, nonce and encrypted text;
- AES-256-CBC, key = Base64(EncodingAESKey + "="), IV = the key's first 16 bytes, PKCS#7 padding to
  32-byte blocks; plaintext = 16 random bytes + 4-byte big-endian length + message + CorpID.

As the callback sender it POSTs ``<xml><ToUserName/><Encrypt/><AgentID/></xml>`` to negobot,
waits ``answer_within`` seconds (WeCom: 5) and retries the same request — same MsgId — up to three
times when the answer is late or not 200. As the API it serves ``/cgi-bin/gettoken`` (tokens expire
after ``token_ttl`` or on ``expire_tokens()``: 42001; unknown tokens: 40014) and
``/cgi-bin/message/send`` (text only; content over 2048 bytes refused with 45002 and recorded; over
30 messages a minute to one member dropped silently, as WeCom does; ``enable_duplicate_check``
honoured; ``fail_next`` / ``stall_next`` inject errcode -1 and slow answers).

Used by tests/wecom and benchmarks/wecom_answers.py (imported by path).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import secrets
import struct
import time
from dataclasses import dataclass, field

import httpx
import tornado.httpserver
import tornado.netutil
import tornado.web
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

CORP_ID = "ww1436e0e65a779aee"
AGENT_ID = 1000002
SECRET = "S0zjZTT7lnk48cC5y6PWVXpZJVKtGly2c1zJt5Fm1Rs"
TOKEN = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo"
AES_KEY = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt"
MAX_CONTENT_BYTES = 2048
PER_MEMBER_PER_MINUTE = 30


# ---- the 加解密方案, from the spec ------------------------------------------------------------
def signature(token: str, timestamp: str, nonce: str, encrypted: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypted])).encode("utf-8")).hexdigest()


def _key(aes_key: str) -> bytes:
    key = base64.b64decode(aes_key + "=")
    assert len(key) == 32
    return key


def encrypt(aes_key: str, receive_id: str, message: str, random16: bytes | None = None) -> str:
    key = _key(aes_key)
    body = message.encode("utf-8")
    plain = (random16 or os.urandom(16)) + struct.pack(">I", len(body)) + body + receive_id.encode("utf-8")
    pad = 32 - len(plain) % 32
    plain += bytes([pad]) * pad
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode("ascii")


def decrypt(aes_key: str, encrypted: str) -> tuple[str, str]:
    """(message, receive id)."""
    key = _key(aes_key)
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(base64.b64decode(encrypted)) + decryptor.finalize()
    pad = plain[-1]
    if not 1 <= pad <= 32:
        raise ValueError("bad padding")
    plain = plain[16:-pad]
    (length,) = struct.unpack(">I", plain[:4])
    return plain[4:4 + length].decode("utf-8"), plain[4 + length:].decode("utf-8")


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


# ---- the stand-in ---------------------------------------------------------------------------
@dataclass
class Sent:
    member: str
    content: str
    at: float


@dataclass
class StandinWecom:
    corp_id: str = CORP_ID
    agent_id: int = AGENT_ID
    secret: str = SECRET
    token: str = TOKEN
    aes_key: str = AES_KEY
    token_ttl: int = 7200
    answer_within: float = 5.0                  # WeCom waits this long for the callback's answer
    member_limit: tuple[int, float] = (PER_MEMBER_PER_MINUTE, 60.0)   # more to one member in the window: dropped
    delivered: list[Sent] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)       # {"errcode", "errmsg", "body"} of refused sends
    dropped: list[dict] = field(default_factory=list)       # over the per-member rate: silently lost
    deduplicated: list[dict] = field(default_factory=list)  # same JSON under enable_duplicate_check
    token_fetches: int = 0
    _tokens: dict[str, float] = field(default_factory=dict)
    _failures: list[int] = field(default_factory=list)
    _stalls: list[float] = field(default_factory=list)
    _checked: dict[str, float] = field(default_factory=dict)
    _next_msg_id: int = 7_300_000_000_000_000_000

    # ---- running ------------------------------------------------------------------------
    async def start(self) -> "StandinWecom":
        app = tornado.web.Application([
            (r"/cgi-bin/gettoken", _GetToken, {"standin": self}),
            (r"/cgi-bin/message/send", _MessageSend, {"standin": self}),
        ])
        sockets = tornado.netutil.bind_sockets(0, address="127.0.0.1")
        self._server = tornado.httpserver.HTTPServer(app)
        self._server.add_sockets(sockets)
        self.base_url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}"
        self._client = httpx.AsyncClient(trust_env=False)
        self.callback_url = ""
        self.changed = asyncio.Event()
        return self

    async def stop(self) -> None:
        self._server.stop()
        await self._server.close_all_connections()
        await self._client.aclose()

    # ---- what a member sees ---------------------------------------------------------------
    def inbox(self, member: str) -> list[str]:
        return [s.content for s in self.delivered if s.member == member]

    # ---- fault injection ------------------------------------------------------------------
    def expire_tokens(self) -> None:
        self._tokens = {token: 0.0 for token in self._tokens}

    def fail_next(self, count: int, errcode: int = -1) -> None:
        self._failures.extend([errcode] * count)

    def stall_next(self, count: int, seconds: float) -> None:
        """Deliver the next sends but answer them only after `seconds`."""
        self._stalls.extend([seconds] * count)

    # ---- the callback sender ------------------------------------------------------------
    def signed_query(self, encrypted: str, timestamp: int | None = None, nonce: str | None = None) -> dict[str, str]:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        nonce = nonce or str(secrets.randbelow(10**10))
        return {"msg_signature": signature(self.token, ts, nonce, encrypted), "timestamp": ts, "nonce": nonce}

    async def verify_url(self, echo: str | None = None) -> tuple[int, str, str]:
        """The GET WeCom makes when the callback URL is saved: (status, body, the echo it expects)."""
        echo = echo or str(secrets.randbelow(10**19))
        encrypted = encrypt(self.aes_key, self.corp_id, echo)
        params = {**self.signed_query(encrypted), "echostr": encrypted}
        response = await self._client.get(self.callback_url, params=params, timeout=self.answer_within)
        return response.status_code, response.text, echo

    def message_xml(self, member: str, content: str | None, msg_id: int, msg_type: str = "text",
                    event: str | None = None) -> str:
        parts = [f"<ToUserName>{cdata(self.corp_id)}</ToUserName>", f"<FromUserName>{cdata(member)}</FromUserName>",
                 f"<CreateTime>{int(time.time())}</CreateTime>", f"<MsgType>{cdata(msg_type)}</MsgType>"]
        if msg_type == "text":
            parts.append(f"<Content>{cdata(content or '')}</Content>")
        elif msg_type == "image":
            parts.append(f"<PicUrl>{cdata('https://example.invalid/p.jpg')}</PicUrl><MediaId>{cdata('m1')}</MediaId>")
        if event:
            parts.append(f"<Event>{cdata(event)}</Event>")
        else:
            parts.append(f"<MsgId>{msg_id}</MsgId>")
        parts.append(f"<AgentID>{self.agent_id}</AgentID>")
        return "<xml>" + "".join(parts) + "</xml>"

    def envelope(self, encrypted: str) -> bytes:
        return (f"<xml><ToUserName>{cdata(self.corp_id)}</ToUserName><Encrypt>{cdata(encrypted)}</Encrypt>"
                f"<AgentID>{cdata(str(self.agent_id))}</AgentID></xml>").encode("utf-8")

    def new_msg_id(self) -> int:
        self._next_msg_id += 1
        return self._next_msg_id

    async def send(self, member: str, content: str | None = None, *, msg_id: int | None = None,
                   msg_type: str = "text", event: str | None = None, lose_answers: int = 0) -> list[int | None]:
        """A member's message, delivered as WeCom does: the HTTP status of each try (None: no answer in time).

        `lose_answers`: the first answers count as not received within `answer_within` (a slow
        network or a slow negobot), so the same request — same MsgId — is sent again."""
        plain = self.message_xml(member, content, msg_id or self.new_msg_id(), msg_type, event)
        encrypted = encrypt(self.aes_key, self.corp_id, plain)
        return await self.post(self.envelope(encrypted), self.signed_query(encrypted), lose_answers=lose_answers)

    async def post(self, body: bytes, params: dict[str, str], retries: int = 3, lose_answers: int = 0) -> list[int | None]:
        statuses: list[int | None] = []
        for attempt in range(1 + retries):
            try:
                response = await self._client.post(self.callback_url, params=params, content=body,
                                                   timeout=self.answer_within)
            except httpx.TimeoutException:
                statuses.append(None)
                continue
            if attempt < lose_answers:
                statuses.append(None)
                continue
            statuses.append(response.status_code)
            if response.status_code == 200:
                break
        return statuses

    # ---- the API ------------------------------------------------------------------------
    def _issue_token(self) -> str:
        token = secrets.token_urlsafe(48)
        self._tokens[token] = time.monotonic() + self.token_ttl
        self.token_fetches += 1
        return token

    def _send(self, token: str | None, raw: bytes) -> tuple[dict, float]:
        if token not in self._tokens:
            return {"errcode": 40014, "errmsg": "invalid access_token"}, 0
        if self._tokens[token] <= time.monotonic():
            return {"errcode": 42001, "errmsg": "access_token expired"}, 0
        if self._failures:
            return {"errcode": self._failures.pop(0), "errmsg": "system busy"}, 0
        try:
            body = json.loads(raw)
            member, content = body["touser"], body["text"]["content"]
            assert body["msgtype"] == "text" and body["agentid"] == self.agent_id and isinstance(content, str)
        except (ValueError, KeyError, TypeError, AssertionError):
            return {"errcode": 40008, "errmsg": "invalid message type or body"}, 0
        if not content:
            return {"errcode": 44004, "errmsg": "empty content"}, 0
        if len(content.encode("utf-8")) > MAX_CONTENT_BYTES:
            return {"errcode": 45002, "errmsg": f"content size out of limit ({MAX_CONTENT_BYTES} bytes)"}, 0
        now = time.monotonic()
        stall = self._stalls.pop(0) if self._stalls else 0.0
        if body.get("enable_duplicate_check") == 1:
            key = json.dumps(body, sort_keys=True, ensure_ascii=False)
            window = body.get("duplicate_check_interval", 1800)
            if key in self._checked and now - self._checked[key] < window:
                self.deduplicated.append(body)
                return {"errcode": 0, "errmsg": "ok", "msgid": "dup"}, stall
            self._checked[key] = now
        count, window = self.member_limit
        recent = [s for s in self.delivered if s.member == member and now - s.at < window]
        if len(recent) >= count:
            self.dropped.append(body)
            return {"errcode": 0, "errmsg": "ok", "msgid": "lost"}, stall
        self.delivered.append(Sent(member, content, now))
        self.changed.set()
        return {"errcode": 0, "errmsg": "ok", "msgid": secrets.token_hex(8)}, stall


class _GetToken(tornado.web.RequestHandler):
    def initialize(self, standin: StandinWecom) -> None:
        self.standin = standin

    def get(self) -> None:
        s = self.standin
        if self.get_query_argument("corpid", "") != s.corp_id:
            self.finish({"errcode": 40013, "errmsg": "invalid corpid"})
        elif self.get_query_argument("corpsecret", "") != s.secret:
            self.finish({"errcode": 40001, "errmsg": "invalid credential"})
        else:
            self.finish({"errcode": 0, "errmsg": "ok", "access_token": s._issue_token(), "expires_in": s.token_ttl})


class _MessageSend(tornado.web.RequestHandler):
    def initialize(self, standin: StandinWecom) -> None:
        self.standin = standin

    async def post(self) -> None:
        answer, stall = self.standin._send(self.get_query_argument("access_token", None), self.request.body)
        if answer["errcode"] != 0:
            self.standin.refused.append({**answer, "body": self.request.body.decode("utf-8", "replace")})
        if stall:
            await asyncio.sleep(stall)
        self.finish(answer)
