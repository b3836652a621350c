"""A small fake Telegram Bot API server on 127.0.0.1, strict where Telegram is strict.

It answers the methods the bot uses over real HTTP (the bot talks to it through its own transport, bot/telegram/request.py),
records every call, queues updates for getUpdates (long polling with the client's timeout), keeps
the messages it was sent so a test can press their buttons, and rejects what Telegram rejects,
with Telegram's error JSON:

- ``parse_mode=HTML`` text with an unsupported or unbalanced tag, or an unescaped ``<`` / ``&``
  → 400 "Bad Request: can't parse entities: …";
- text longer than 4096 characters after entity parsing (UTF-16 units) → "message is too long";
- callback_data over 64 bytes → "BUTTON_DATA_INVALID"; copy_text over 256 characters →
  "COPY_TEXT_INVALID"; an empty text → "message text is empty";
- editing a message into exactly what it is → "message is not modified: …";
- an unknown token → 401 Unauthorized; an unknown method → 404;
- and, on request, 429 "Too Many Requests: retry after N" for the first N sendMessage calls.

Network trouble, on request: ``drops[method] = N`` carries out the next N calls of that method and
then closes the connection without an answer (the client cannot tell whether it was done), and
``outage_after(user_id, seconds)`` takes the whole server off the network right after it has handed
out an update from that user — the port refuses connections and idle keep-alive connections are closed — and
brings it back on the same port ``seconds`` later.

Used by tests/telegram and by benchmarks/bot_throughput.py (imported by path).
"""

from __future__ import annotations

import itertools
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

TOKEN = "123456789:AAF4k3-t0ken_for-tests_0123456789abcdef"
BOT_USER = {"id": 123456789, "is_bot": True, "first_name": "negobot", "username": "negobot_test_bot",
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
MAX_TEXT = 4096
_ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "span",
                 "tg-spoiler", "tg-emoji", "blockquote"}
_STRING_FIELDS = {"text", "parse_mode", "callback_query_id", "url", "secret_token", "language_code",
                  "description", "short_description", "action", "inline_message_id"}
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*)?)>")
_ENTITY_VALUES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None):
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


_SPECIAL = re.compile("[<&]")


def parse_html(text: str) -> str:
    """The text Telegram would show, or ApiError as Telegram words it."""
    out: list[str] = []
    stack: list[str] = []
    i = 0

    def offset(pos: int) -> int:
        return len(text[:pos].encode("utf-8"))

    while i < len(text):
        ch = text[i]
        if ch == "<":
            match = _TAG.match(text, i)
            if match is None:
                raise ApiError(400, f"Bad Request: can't parse entities: Unsupported start tag at byte offset {offset(i)}")
            closing, name = match.group(1) == "/", match.group(2).lower()
            if closing:
                if not stack:
                    raise ApiError(400, f"Bad Request: can't parse entities: Unexpected end tag at byte offset {offset(i)}")
                if stack[-1] != name:
                    raise ApiError(400, f"Bad Request: can't parse entities: Unmatched end tag at byte offset {offset(i)}, "
                                        f"expected \"</{stack[-1]}>\", found \"</{name}>\"")
                stack.pop()
            else:
                if name not in _ALLOWED_TAGS:
                    raise ApiError(400, f"Bad Request: can't parse entities: Unsupported start tag \"{name}\" at byte offset {offset(i)}")
                if "pre" in stack and name != "code":
                    raise ApiError(400, f"Bad Request: can't parse entities: tag \"{name}\" inside \"pre\" at byte offset {offset(i)}")
                stack.append(name)
            i = match.end()
        elif ch == "&":
            match = _ENTITY.match(text, i)
            if match is None:
                raise ApiError(400, f"Bad Request: can't parse entities: Character '&' is reserved and must be escaped "
                                    f"at byte offset {offset(i)}")
            name = match.group(1)
            if name.startswith("#x"):
                out.append(chr(int(name[2:], 16)))
            elif name.startswith("#"):
                out.append(chr(int(name[1:])))
            else:
                out.append(_ENTITY_VALUES[name])
            i = match.end()
        else:                       # plain text up to the next tag or entity, in one piece
            special = _SPECIAL.search(text, i)
            end = special.start() if special else len(text)
            out.append(text[i:end])
            i = end
    if stack:
        raise ApiError(400, f"Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"{stack[-1]}\"")
    return "".join(out)


@dataclass
class Call:
    method: str
    params: dict
    at: float
    error: str | None = None


@dataclass
class StoredMessage:
    chat_id: int
    message_id: int
    text: str                       # as shown (entities parsed)
    html: str
    reply_markup: dict | None


@dataclass
class FakeBotApi:
    token: str = TOKEN
    calls: list[Call] = field(default_factory=list)
    messages: dict[tuple[int, int], StoredMessage] = field(default_factory=dict)
    rate_limit_sends: int = 0       # answer this many sendMessage calls with 429
    retry_after: int = 1
    send_delay: float = 0.0         # seconds each sendMessage takes (a slow network)
    drops: dict[str, int] = field(default_factory=dict)   # method → calls to carry out, then drop unanswered

    def __post_init__(self) -> None:
        self._lock = threading.Condition()
        self._updates: list[dict] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._query_ids = itertools.count(1)
        self._answered: set[str] = set()
        self._open_queries: set[str] = set()
        self._closed = False
        self._server: ThreadingHTTPServer | None = None
        self._connections: set[socket.socket] = set()
        self._outage: tuple[int, float] | None = None
        self.outages = 0
        self.cpu_seconds = 0.0          # CPU time the request threads spent (benchmarks subtract it)

    # ---- lifecycle -------------------------------------------------------
    def start(self) -> "FakeBotApi":
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_POST(self) -> None:      # noqa: N802
                api._handle(self)

            do_GET = do_POST

            def log_message(self, *args) -> None:
                pass

            def handle_one_request(self) -> None:
                started = time.thread_time()
                try:
                    super().handle_one_request()
                finally:
                    spent = time.thread_time() - started
                    with api._lock:
                        api.cpu_seconds += spent

            def setup(self) -> None:
                super().setup()
                with api._lock:
                    api._connections.add(self.connection)

            def finish(self) -> None:
                with api._lock:
                    api._connections.discard(self.connection)
                super().finish()

        class Server(ThreadingHTTPServer):
            request_queue_size = 256        # many clients at once, like the real API
            daemon_threads = True
            allow_reuse_address = True

        self._server_class = Server
        self._handler_class = Handler
        self._serve(("127.0.0.1", 0))
        return self

    def _serve(self, address) -> None:
        self._server = self._server_class(address, self._handler_class)
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def outage_after(self, user_id: int, seconds: float) -> None:
        """Go off the network for `seconds` right after handing out the next update from `user_id`."""
        self._outage = (user_id, seconds)

    def _go_down(self, seconds: float, spare: socket.socket) -> None:
        """Called in the request thread that handed out the update, before the client can act on it."""
        server = self._server
        address = server.server_address[:2]
        try:
            server.socket.shutdown(socket.SHUT_RDWR)     # the port now refuses connections
        except OSError:
            pass
        with self._lock:
            idle = [c for c in self._connections if c is not spare]
            self.outages += 1
        for conn in idle:                   # keep-alive connections the client would reuse
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

        def come_back() -> None:
            server.shutdown()
            server.server_close()
            time.sleep(seconds)
            if not self._closed:
                self._serve(address)
        threading.Thread(target=come_back, daemon=True).start()

    def stop(self) -> None:
        with self._lock:
            self._closed = True
            self._lock.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # ---- what a test does --------------------------------------------------
    def user(self, user_id: int, language_code: str | None = "zh-hans") -> dict:
        user = {"id": user_id, "is_bot": False, "first_name": f"Merchant{user_id}"}
        if language_code:
            user["language_code"] = language_code
        return user

    def send_text(self, user_id: int, text: str, language_code: str | None = "zh-hans", *,
                  forwarded_from: str | None = None, reply_to: int | None = None) -> int:
        """Queue a private message from a merchant; returns its update_id. `forwarded_from`: forwarded
        from a person of that name who hides their account (as buyers' chats are forwarded);
        `reply_to`: a reply to that bot message (as it is now, buttons and all)."""
        message = {"message_id": next(self._message_ids), "date": int(time.time()),
                   "chat": {"id": user_id, "type": "private", "first_name": f"Merchant{user_id}"},
                   "from": self.user(user_id, language_code), "text": text}
        if forwarded_from:
            message["forward_origin"] = {"type": "hidden_user", "date": int(time.time()) - 60, "sender_user_name": forwarded_from}
        if reply_to is not None:
            with self._lock:
                message["reply_to_message"] = self._message_json(self.messages[(user_id, reply_to)])
        command = re.match(r"/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?", text)
        if command:
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(command.group(0))}]
        return self._queue({"message": message})

    def send_photo(self, user_id: int, language_code: str | None = "zh-hans") -> int:
        message = {"message_id": next(self._message_ids), "date": int(time.time()),
                   "chat": {"id": user_id, "type": "private"}, "from": self.user(user_id, language_code),
                   "photo": [{"file_id": "AgAD", "file_unique_id": "u1", "width": 90, "height": 90}]}
        return self._queue({"message": message})

    def press(self, user_id: int, message_id: int, data: str, language_code: str | None = "zh-hans") -> int:
        """Queue a button press; the button must be on that message now, as in a real client."""
        with self._lock:
            stored = self.messages[(user_id, message_id)]
            datas = [b.get("callback_data") for row in (stored.reply_markup or {}).get("inline_keyboard", []) for b in row]
            assert data in datas, f"no button {data!r} on message {message_id}: {datas}"
            query_id = f"q{next(self._query_ids)}"
            self._open_queries.add(query_id)
            message = self._message_json(stored)
        return self._queue({"callback_query": {"id": query_id, "from": self.user(user_id, language_code),
                                               "chat_instance": f"ci{user_id}", "message": message, "data": data}})

    def press_stale(self, user_id: int, message: dict, data: str, language_code: str | None = "zh-hans") -> int:
        """Queue a press on a message as it was (e.g. before a restart), without checking current buttons."""
        query_id = f"q{next(self._query_ids)}"
        with self._lock:
            self._open_queries.add(query_id)
        return self._queue({"callback_query": {"id": query_id, "from": self.user(user_id, language_code),
                                               "chat_instance": f"ci{user_id}", "message": message, "data": data}})

    def _queue(self, payload: dict) -> int:
        with self._lock:
            update_id = next(self._update_ids)
            self._updates.append({"update_id": update_id, **payload})
            self._lock.notify_all()
            return update_id

    def pending_updates(self) -> int:
        with self._lock:
            return len(self._updates)

    def calls_to(self, method: str, chat_id: int | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method
                    and (chat_id is None or c.params.get("chat_id") == chat_id)]

    def errors(self) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.error and not c.error.startswith("Too Many Requests")]

    def chat(self, chat_id: int) -> list[StoredMessage]:
        """The bot's messages in a chat as they are now (edits applied), oldest first."""
        with self._lock:
            return sorted((m for (c, _), m in self.messages.items() if c == chat_id), key=lambda m: m.message_id)

    def message_json(self, chat_id: int, message_id: int) -> dict:
        with self._lock:
            return self._message_json(self.messages[(chat_id, message_id)])

    def answered(self, query_id: str) -> bool:
        with self._lock:
            return query_id in self._answered

    # ---- HTTP --------------------------------------------------------------
    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        match = re.fullmatch(r"/bot([^/]+)/([A-Za-z]+)/?", request.path.split("?")[0])
        params = _decode(body, request.headers.get("Content-Type", ""))
        method = match.group(2) if match else request.path
        call = Call(method, params, time.monotonic())
        try:
            if match is None:
                raise ApiError(404, "Not Found")
            if match.group(1) != self.token:
                raise ApiError(401, "Unauthorized")
            handler = getattr(self, f"_m_{method}", None)
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            with self._lock:
                self.calls.append(call)
            result = handler(params)
            reply = {"ok": True, "result": result}
            status = 200
        except ApiError as exc:
            call.error = exc.description.removeprefix("Bad Request: ")
            with self._lock:
                if call not in self.calls:
                    self.calls.append(call)
            reply = {"ok": False, "error_code": exc.code, "description": exc.description}
            if exc.retry_after is not None:
                reply["parameters"] = {"retry_after": exc.retry_after}
            status = exc.code
        if status == 200 and self.drops.get(method, 0) > 0:
            with self._lock:
                self.drops[method] -= 1
            call.error = "connection dropped after the call was carried out"
            request.close_connection = True
            try:
                request.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        data = json.dumps(reply, ensure_ascii=False).encode("utf-8")
        try:
            request.send_response(status)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(data)))
            request.end_headers()
            request.wfile.write(data)
            request.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        outage = self._outage
        if method == "getUpdates" and outage and any((u.get("message") or u.get("callback_query") or {}).get("from", {}).get("id")
                                                     == outage[0] for u in reply.get("result") or []):
            self._outage = None
            self._go_down(outage[1], request.connection)

    # ---- methods -----------------------------------------------------------
    def _m_getMe(self, p: dict) -> dict:
        return BOT_USER

    def _m_deleteWebhook(self, p: dict) -> bool:
        return True

    def _m_setWebhook(self, p: dict) -> bool:
        return True

    def _m_setMyCommands(self, p: dict) -> bool:
        for command in p.get("commands", []):
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command["command"]) or not 1 <= len(command["description"]) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        return True

    def _m_getUpdates(self, p: dict) -> list[dict]:
        offset = int(p.get("offset") or 0)
        limit = int(p.get("limit") or 100)
        deadline = time.monotonic() + min(float(p.get("timeout") or 0), 5.0)
        with self._lock:
            while True:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                if self._updates or self._closed or time.monotonic() >= deadline:
                    return self._updates[:limit]
                self._lock.wait(max(0.0, deadline - time.monotonic()))

    def _m_sendMessage(self, p: dict) -> dict:
        if self.send_delay:
            time.sleep(self.send_delay)
        with self._lock:
            if self.rate_limit_sends > 0:
                self.rate_limit_sends -= 1
                raise ApiError(429, f"Too Many Requests: retry after {self.retry_after}", retry_after=self.retry_after)
        chat_id = int(p["chat_id"])
        text, markup = self._checked_text(p)
        with self._lock:
            message = StoredMessage(chat_id, next(self._message_ids), text, p["text"], markup)
            self.messages[(chat_id, message.message_id)] = message
            return self._message_json(message)

    def _m_editMessageText(self, p: dict) -> dict:
        chat_id, message_id = int(p["chat_id"]), int(p["message_id"])
        text, markup = self._checked_text(p)
        with self._lock:
            stored = self.messages.get((chat_id, message_id))
            if stored is None:
                raise ApiError(400, "Bad Request: message to edit not found")
            if stored.text == text and stored.reply_markup == markup:
                raise ApiError(400, "Bad Request: message is not modified: specified new message content and reply "
                                    "markup are exactly the same as a current content and reply markup of the message")
            stored.text, stored.html, stored.reply_markup = text, p["text"], markup
            return self._message_json(stored)

    def _m_editMessageReplyMarkup(self, p: dict) -> dict:
        """Only the keyboard changes; without reply_markup, the message keeps no keyboard."""
        chat_id, message_id = int(p["chat_id"]), int(p["message_id"])
        markup = self._checked_markup(p)
        with self._lock:
            stored = self.messages.get((chat_id, message_id))
            if stored is None:
                raise ApiError(400, "Bad Request: message to edit not found")
            if stored.reply_markup == markup:
                raise ApiError(400, "Bad Request: message is not modified: specified new message content and reply "
                                    "markup are exactly the same as a current content and reply markup of the message")
            stored.reply_markup = markup
            return self._message_json(stored)

    def _m_answerCallbackQuery(self, p: dict) -> bool:
        query_id = p["callback_query_id"]
        with self._lock:
            if query_id not in self._open_queries or query_id in self._answered:
                raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
            self._answered.add(query_id)
        if len(p.get("text") or "") > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    def _m_sendChatAction(self, p: dict) -> bool:
        return True

    # ---- checks ------------------------------------------------------------
    def _checked_text(self, p: dict) -> tuple[str, dict | None]:
        raw = p.get("text")
        if not isinstance(raw, str) or not raw.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        text = parse_html(raw) if str(p.get("parse_mode", "")).upper() == "HTML" else raw
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(text) > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        return text, self._checked_markup(p)

    @staticmethod
    def _checked_markup(p: dict) -> dict | None:
        markup = p.get("reply_markup")
        if markup is not None:
            if not isinstance(markup, dict) or not isinstance(markup.get("inline_keyboard"), list):
                raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
            for row in markup["inline_keyboard"]:
                for button in row:
                    if not button.get("text"):
                        raise ApiError(400, "Bad Request: BUTTON_TEXT_EMPTY")
                    kinds = [k for k in ("callback_data", "copy_text", "url") if k in button]
                    if len(kinds) != 1:
                        raise ApiError(400, "Bad Request: can't parse inline keyboard button: exactly one of the "
                                            "optional fields must be used")
                    data = button.get("callback_data")
                    if data is not None and not 1 <= len(data.encode("utf-8")) <= 64:
                        raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                    copy = button.get("copy_text")
                    if copy is not None and not 1 <= len(copy.get("text", "")) <= 256:
                        raise ApiError(400, "Bad Request: COPY_TEXT_INVALID")
        return markup

    @staticmethod
    def _message_json(m: StoredMessage) -> dict:
        message = {"message_id": m.message_id, "date": int(time.time()),
                   "chat": {"id": m.chat_id, "type": "private"}, "from": BOT_USER, "text": m.text}
        if m.reply_markup:
            message["reply_markup"] = m.reply_markup
        return message


def _decode(body: bytes, content_type: str) -> dict:
    if not body:
        return {}
    if content_type.startswith("application/json"):
        return json.loads(body)
    params = {}
    for key, value in parse_qsl(body.decode("utf-8"), keep_blank_values=True):
        if key in _STRING_FIELDS:
            params[key] = value
        else:
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
    return params
