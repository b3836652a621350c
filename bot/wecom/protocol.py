"""The WeCom callback protocol through wechatpy: URL check, signature, decryption, message parsing.

wechatpy (``wechatpy.enterprise.crypto.WeChatCrypto`` over the ``cryptography`` package) does the
SHA-1 signature and the AES-256-CBC decryption exactly as WeCom's 加解密方案 describes, and checks
that the CorpID inside the ciphertext is ours; ``wechatpy.enterprise.parse_message`` turns the
decrypted XML into message and event objects (xmltodict underneath, entities disabled). What is
added here is what wechatpy leaves to its caller: a timestamp window, a constant-time signature
comparison before anything is decrypted, a size limit, the AgentID check, and one exception type —
every way a forged, stale or garbled request can fail becomes :class:`Rejected` with the HTTP
status to answer, and nothing else is touched.
"""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass

import xmltodict
from wechatpy.enterprise import parse_message
from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

MAX_BODY_BYTES = 256 * 1024         # a 5 000-character message is ≈ 21 kB once encrypted
TIMESTAMP_WINDOW = 300              # seconds either side of our clock; WeCom's retries reuse the timestamp
_PARAMS = ("msg_signature", "timestamp", "nonce")


class Rejected(Exception):
    """The request is not a valid WeCom callback; answer `status` and do nothing else."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status


@dataclass(frozen=True)
class Incoming:
    """One decrypted callback: what the merchant sent, reduced to what the channel acts on."""

    user: str               # FromUserName: the member's UserID
    kind: str               # "text", "start" (joined the app), "other" (a photo, voice…), "ignore"
    text: str = ""
    dedupe_key: str = ""    # MsgId for messages; FromUserName + CreateTime + Event for events (WeCom's advice)


class CallbackCrypto:
    def __init__(self, token: str, aes_key: str, corp_id: str, agent_id: int | None = None,
                 window: float = TIMESTAMP_WINDOW, clock=time.time):
        self._crypto = WeChatCrypto(token, aes_key, corp_id)
        self._token = token
        self.agent_id = agent_id
        self.window = window
        self.clock = clock

    # ---- checks -----------------------------------------------------------
    def _params(self, query: dict[str, str], *extra: str) -> list[str]:
        values = []
        for name in (*_PARAMS, *extra):
            value = query.get(name)
            if not value or len(value) > MAX_BODY_BYTES:
                raise Rejected(400, f"missing or oversized query parameter {name}")
            values.append(value)
        return values

    def _check(self, signature: str, timestamp: str, nonce: str, encrypted: str) -> None:
        signer = WeChatSigner()
        signer.add_data(self._token, timestamp, nonce, encrypted)
        if not hmac.compare_digest(signer.signature.encode(), signature.encode("utf-8", "replace")):
            raise Rejected(403, "bad msg_signature")
        if not timestamp.isascii() or not timestamp.isdigit() or abs(self.clock() - int(timestamp)) > self.window:
            raise Rejected(403, "timestamp outside the accepted window")

    # ---- the two requests WeCom makes -------------------------------------
    def verify_url(self, query: dict[str, str]) -> str:
        """The GET URL check: the decrypted echostr to answer with."""
        signature, timestamp, nonce, echostr = self._params(query, "echostr")
        self._check(signature, timestamp, nonce, echostr)
        try:
            return self._crypto.check_signature(signature, timestamp, nonce, echostr)
        except Exception:       # wechatpy raises whatever base64/AES/struct/unicode raise on garbage
            raise Rejected(400, "echostr does not decrypt") from None

    def decrypt(self, query: dict[str, str], body: bytes) -> Incoming:
        """A POSTed message: checked, decrypted and parsed."""
        signature, timestamp, nonce = self._params(query)
        if len(body) > MAX_BODY_BYTES:
            raise Rejected(413, "body too large")
        try:
            envelope = xmltodict.parse(body.decode("utf-8"))["xml"]
            encrypted = envelope["Encrypt"]
            if not isinstance(encrypted, str):
                raise ValueError
        except Exception:
            raise Rejected(400, "body is not a WeCom callback envelope") from None
        self._check(signature, timestamp, nonce, encrypted)
        try:
            plain = self._crypto.decrypt_message({"Encrypt": encrypted}, signature, timestamp, nonce)
            message = parse_message(plain)
        except Exception:
            raise Rejected(400, "body does not decrypt") from None
        if message is None or not message.source:
            raise Rejected(400, "decrypted message has no sender")
        agent = getattr(message, "agent", None)
        if self.agent_id is not None and agent not in (None, "", self.agent_id, str(self.agent_id)):
            raise Rejected(400, "message is for another app (AgentID)")
        return _incoming(message)


def _incoming(message) -> Incoming:
    user = str(message.source)
    if message.type == "text":
        return Incoming(user, "text", message.content or "", f"msg:{message.id}")
    if message.type == "event":
        event = str(getattr(message, "event", "") or "").lower()
        key = f"event:{user}:{message.time}:{event}"
        return Incoming(user, "start" if event == "subscribe" else "ignore", dedupe_key=key)
    if message.type in ("image", "voice", "video", "shortvideo", "location", "link", "file"):
        return Incoming(user, "other", dedupe_key=f"msg:{message.id}")
    return Incoming(user, "ignore", dedupe_key=f"msg:{message.id}:{message.time}")


__all__ = ["CallbackCrypto", "Incoming", "Rejected", "MAX_BODY_BYTES", "TIMESTAMP_WINDOW"]
