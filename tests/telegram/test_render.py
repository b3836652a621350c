"""Rendering Replies as Telegram HTML, and fast handler tests through Application.process_update."""

from __future__ import annotations

import html

import pytest
from telegram import Chat, Message, Update, User

from bot.conversation.model import Button, Reply
from bot.telegram.render import MAX_MESSAGE, render, units
from fake_bot_api import ApiError, parse_html


def shown(parts) -> str:
    return "\n".join(parse_html(p.html) for p in parts)


def test_everything_typed_is_escaped_and_the_draft_is_a_pre_block():
    reply = Reply(title="<b>店</b> & co", text="a < b && c > d\n{{ 7*7 }}", draft="亲 <script>alert(1)</script> &amp;",
                  buttons=[[Button("复制话术", copy_text="亲"), Button("语气", action="tn:1:formal")]])
    (part,) = render(reply)
    assert part.html == ("<b>&lt;b&gt;店&lt;/b&gt; &amp; co</b>\na &lt; b &amp;&amp; c &gt; d\n{{ 7*7 }}\n"
                         "<pre>亲 &lt;script&gt;alert(1)&lt;/script&gt; &amp;amp;</pre>")
    assert parse_html(part.html).endswith("亲 <script>alert(1)</script> &amp;")
    (row,) = part.markup.inline_keyboard
    assert row[0].copy_text.text == "亲" and row[1].callback_data == "tn:1:formal"


@pytest.mark.parametrize("text, draft", [
    ("\n".join(f"第{i}行 <&> " + "说明" * 30 for i in range(200)), None),
    ("短说明", "\n".join(f"亲，第{i}行 & <i>" + "话术" * 40 for i in range(150))),
    ("&" * 9000, "<" * 5000),                               # no line breaks at all: cut anywhere, never inside &amp;
    ("😀" * 3000, "x " * 3000),                             # UTF-16: each emoji counts twice
])
def test_long_replies_are_split_cleanly_with_buttons_on_the_last_part(text, draft):
    reply = Reply(title="标题", text=text, draft=draft, buttons=[[Button("不是这种情况", action="nt:1")]])
    parts = render(reply)
    assert len(parts) >= 2
    for part in parts:
        assert units(part.html) <= MAX_MESSAGE
        parse_html(part.html)                               # balanced tags, every & escaped
    assert [p.markup is not None for p in parts] == [False] * (len(parts) - 1) + [True]
    visible = shown(parts)
    assert visible.replace("\n", "").replace(" ", "") == ("标题" + text + (draft or "")).replace("\n", "").replace(" ", "")


def test_parse_html_rejects_what_telegram_rejects():
    for bad in ("<script>x</script>", "a & b", "<b>open", "<b>x</i>", "1 < 2"):
        with pytest.raises(ApiError):
            parse_html(bad)
    assert parse_html(html.escape("1 < 2 & <b>")) == "1 < 2 & <b>"


# ---- fast handler tests: process_update without any network ---------------------------------
class Recorder:
    def __init__(self):
        self.sent: list[tuple[int, str]] = []


@pytest.fixture
async def app(tmp_path, monkeypatch):
    from bot.conversation.sqlite_store import SqliteStore
    from bot.telegram.runner import build_application

    store = SqliteStore(tmp_path / "db")
    application = build_application("1:" + "a" * 35, "http://127.0.0.1:9", store)
    recorder = Recorder()

    real_post = type(application.bot)._post

    async def post(self, endpoint, data=None, **kwargs):   # where every Bot method ends: sendMessage recorded
        if endpoint != "sendMessage":
            return await real_post(self, endpoint, data, **kwargs)
        recorder.sent.append((data["chat_id"], parse_html(data["text"])))
        return True

    application.bot._unfrozen = True
    monkeypatch.setattr(type(application.bot), "_post", post)
    application.recorder = recorder
    application.bot._bot_user = User(1, "negobot", True, username="negobot_test_bot")
    application._initialized = True
    yield application
    store.close()


def _text_update(uid: int, text: str, language_code: str | None, app) -> Update:
    from telegram import MessageEntity

    entities = [MessageEntity("bot_command", 0, len(text.split()[0]))] if text.startswith("/") else None
    message = Message(1, date=__import__("datetime").datetime.now(), chat=Chat(uid, "private"),
                      from_user=User(uid, "M", False, language_code=language_code), text=text, entities=entities)
    message.set_bot(app.bot)
    update = Update(uid * 1000 + len(app.recorder.sent), message=message)
    update.set_bot(app.bot)
    return update


@pytest.mark.parametrize("code, expected", [("zh-hans", "使用说明"), ("zh-cn", "使用说明"), ("zh", "使用说明"),
                                            ("zh-hant", "使用說明"), ("zh-TW", "使用說明"), ("zh-hk", "使用說明"),
                                            ("en", "How to use negobot"), ("fr", "使用说明"), (None, "使用说明")])
async def test_help_follows_the_telegram_language_code(app, code, expected):
    await app.process_update(_text_update(5, "/help", code, app))
    ((chat, text),) = app.recorder.sent
    assert chat == 5 and expected in text


async def test_an_unexpected_failure_is_logged_and_the_merchant_told(app, monkeypatch, caplog):
    conversation = app.bot_data["conversation"]
    monkeypatch.setattr(conversation, "message", lambda *a, **k: 1 / 0)
    await app.process_update(_text_update(6, "退回来少了一件", "en", app))
    assert app.recorder.sent == [(6, "Sorry, something went wrong while handling that. Please try again; "
                                     "if it keeps happening, send /start.")]
    assert any("ZeroDivisionError" in (r.exc_text or "") or r.exc_info for r in caplog.records)
