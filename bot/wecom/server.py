"""The callback URL (tornado) and the channel: WeCom callbacks → conversation core → message/send.

The callback answers as soon as a request is checked: 200 with an empty body, which WeCom takes as
"received, no passive reply" and does not retry. The conversation runs afterwards in a background
task and its answer goes out through ``message/send`` — so the 5-second rule holds however long
the engine or WeCom's API takes. Each incoming message is claimed in the store under its MsgId
(events: sender + CreateTime + event, as WeCom advises) before it is queued, so a retry of the same
message — within seconds, or after a restart — is acknowledged and dropped.

One member's messages are handled one at a time and in order (a per-member lock); different
members run concurrently, the core in a worker thread so a busy database never stalls the loop.
No conversation logic lives here.
"""

from __future__ import annotations

import asyncio
import logging
import weakref

import tornado.httpserver
import tornado.netutil
import tornado.web

from bot.conversation.choices import actions_in_order, awaiting_detail, pick
from bot.conversation.core import Conversation
from bot.conversation.model import MerchantKey, Reply, merchant_key, split_merchant_key
from bot.conversation.sqlite_store import StoreError
from bot.wecom.api import WecomApi, WecomApiError
from bot.wecom.protocol import MAX_BODY_BYTES, CallbackCrypto, Incoming, Rejected
from bot.wecom.render import render

log = logging.getLogger("negobot.wecom")

SEEN_TTL = 24 * 3600                     # how long a MsgId is remembered (WeCom retries within ~15 s)
_LANGUAGE_CODES = {"zh_CN": "zh-hans", "zh_TW": "zh-hant", "en": "en"}


class WecomChannel:
    def __init__(self, conversation: Conversation, api: WecomApi, claim_prefix: str = "wecom"):
        self.conversation = conversation
        self.api = api
        self.claim_prefix = claim_prefix
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self._tasks: set[asyncio.Task] = set()
        self.stats = {"handled": 0, "duplicates": 0, "failed_sends": 0}

    # ---- from the callback ----------------------------------------------------
    async def accept(self, incoming: Incoming) -> bool:
        """Claim and queue `incoming`; False when it was seen before (a retry). May raise StoreError.

        The claim is a database write, done in a worker thread: a database another process holds
        for a moment must not stall the acknowledgements of every other merchant."""
        claim = f"{self.claim_prefix}:{incoming.dedupe_key}"
        if not await asyncio.to_thread(self.conversation.store.claim_message, claim, SEEN_TTL):
            self.stats["duplicates"] += 1
            return False
        if incoming.kind != "ignore":
            task = asyncio.get_running_loop().create_task(self.handle(incoming))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return True

    async def drain(self) -> None:
        """Wait until every queued message has been answered (tests, benchmarks, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # ---- one message ------------------------------------------------------------
    async def handle(self, incoming: Incoming) -> None:
        member = incoming.user
        lock = self._locks.get(member)
        if lock is None:
            lock = self._locks[member] = asyncio.Lock()
        async with lock:
            key = merchant_key("wecom", member)
            try:
                replies, locale = await asyncio.to_thread(self._answer, key, incoming)
            except StoreError as exc:
                log.warning("settings store: %s", exc)
                replies, locale = Conversation.try_again(None), "zh_CN"
            except Exception:
                log.exception("while handling a message from %s", member)
                replies, locale = Conversation.went_wrong(None), "zh_CN"
            self.stats["handled"] += 1
            for text in render(replies, locale):
                try:
                    await self.api.send_text(member, text)
                except WecomApiError as exc:
                    self.stats["failed_sends"] += 1
                    log.error("message/send to %s failed: %s", member, exc)
                    return          # the rest would make no sense without this part

    async def deliver_reminders(self) -> int:
        """Claim the reminders that are due (atomically in the store) and send each to its member;
        how many were sent."""
        try:
            due = await asyncio.to_thread(self.conversation.due_reminders, self.claim_prefix)
        except StoreError as exc:
            log.warning("reminders: %s", exc)
            return 0
        sent = 0
        for key, reply in due:
            channel, member = split_merchant_key(key)
            if channel != "wecom":
                continue
            locale = await asyncio.to_thread(lambda: self.conversation.profile(key).locale)
            try:
                for text in render([reply], locale):
                    await self.api.send_text(member, text)
                sent += 1
            except WecomApiError as exc:
                self.stats["failed_sends"] += 1
                log.error("a reminder to %s failed: %s", member, exc)
        return sent

    def _answer(self, key: MerchantKey, incoming: Incoming) -> tuple[list[Reply], str]:
        """The core's replies (in a worker thread) and the locale to render them in."""
        store = self.conversation.store
        with store.unit():      # the case and the numbers of its choices are saved together, or neither
            replies = self._replies(key, incoming)
            store.save_menu(key, actions_in_order(replies))   # the numbers now mean these
            return replies, self.conversation.profile(key).locale

    def _replies(self, key: MerchantKey, incoming: Incoming) -> list[Reply]:
        c = self.conversation
        if incoming.kind == "start":
            return c.start(key)
        if incoming.kind == "other":
            return Conversation.not_text(_LANGUAGE_CODES.get(c.profile(key).locale))
        text = incoming.text.strip()
        if text.startswith("／"):               # a full-width slash from a Chinese input method
            text = "/" + text[1:]
        words = text.split(None, 1)             # any space, the full-width one (U+3000) too
        command, rest = (words[0], words[1].strip() if len(words) > 1 else "") if words else ("", "")
        if command.startswith("/"):
            replies = c.command(key, command[1:], rest)
            if replies is not None:
                return replies
        if text.startswith("/") and len(words) == 1 and len(text) < 40:
            return c.help(key)                  # an unknown command, as the Telegram bot answers it
        action = pick(text, c.store.load_menu(key), awaiting_detail(c.store, key))
        if action is not None:
            return c.press(key, action)
        return c.message(key, incoming.text)


class CallbackHandler(tornado.web.RequestHandler):
    def initialize(self, crypto: CallbackCrypto, channel: WecomChannel) -> None:
        self.crypto, self.channel = crypto, channel

    def _query(self) -> dict[str, str]:
        query = {name: self.get_query_argument(name, "") for name in ("msg_signature", "timestamp", "nonce", "echostr")}
        # Base64 has no spaces: a "+" that a proxy left unencoded arrives as one
        query["echostr"] = query["echostr"].replace(" ", "+")
        return query

    def get(self) -> None:
        try:
            echo = self.crypto.verify_url(self._query())
        except Rejected as exc:
            self._reject(exc)
            return
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(echo)

    async def post(self) -> None:
        try:
            incoming = self.crypto.decrypt(self._query(), self.request.body)
        except Rejected as exc:
            self._reject(exc)
            return
        try:
            await self.channel.accept(incoming)
        except StoreError as exc:           # not claimed: WeCom's retry may find the store free again
            log.warning("settings store: %s", exc)
            self.set_status(503)
            self.finish("")
            return
        self.set_status(200)
        self.finish("")

    def _reject(self, exc: Rejected) -> None:
        log.warning("refused a callback from %s: %s", self.request.remote_ip, exc)
        self.set_status(exc.status)
        self.finish("")

    def log_exception(self, typ, value, tb) -> None:    # keep request bodies out of the log
        log.error("callback handler failed: %s", value)


def build_app(crypto: CallbackCrypto, channel: WecomChannel, path: str) -> tornado.web.Application:
    route = path.rstrip("/") or "/"
    return tornado.web.Application([(route, CallbackHandler, {"crypto": crypto, "channel": channel})],
                                   xheaders=True, compress_response=False)


async def start_server(app: tornado.web.Application, listen: str, port: int) -> tuple[tornado.httpserver.HTTPServer, int]:
    """The HTTP server on `listen`:`port` (0: any free port) and the port it got."""
    sockets = tornado.netutil.bind_sockets(port, address=listen)
    server = tornado.httpserver.HTTPServer(app, max_body_size=MAX_BODY_BYTES, max_buffer_size=MAX_BODY_BYTES,
                                           idle_connection_timeout=60, body_timeout=10, xheaders=True)
    server.add_sockets(sockets)
    return server, sockets[0].getsockname()[1]


__all__ = ["WecomChannel", "CallbackHandler", "build_app", "start_server"]
