"""Network trouble between the bot and the Bot API: retried where safe, never a message twice."""

from __future__ import annotations

import argparse

import pytest

from bot.telegram.runner import api_root, settings
from fake_bot_api import TOKEN
from harness import RunningBot, serve_until_started

DESCRIPTION = "买家退货单号SF1409823356721填错了"


async def test_a_reply_that_could_not_reach_the_api_is_retried_with_backoff_and_sent_once(api, db):
    async with RunningBot(api, db) as bot:
        api.outage_after(30, 0.6)              # the port refuses connections while the bot answers
        await bot.handled(api.send_text(30, DESCRIPTION, "zh-hans"), timeout=20)
        assert api.outages == 1 and bot.app.bot.rate_limiter.network_retried >= 1
    sends = api.calls_to("sendMessage", 30)
    assert len(sends) == 1 and len(api.chat(30)) == 1 and "SF1409823356721" in api.chat(30)[0].text
    assert not api.errors()


async def test_a_send_whose_answer_was_lost_is_not_sent_again(api, db):
    api.drops["sendMessage"] = 1              # delivered, but the connection drops before the answer
    async with RunningBot(api, db) as bot:
        await bot.handled(api.send_text(31, DESCRIPTION, "zh-hans"))
        assert bot.app.bot.rate_limiter.network_retried == 0
        await bot.handled(api.send_text(31, "/help", "zh-hans"))      # and the bot carries on
    assert len(api.calls_to("sendMessage", 31)) == 2
    (answer, help_) = api.chat(31)
    assert "SF1409823356721" in answer.text and "使用说明" in help_.text   # once each; no "went wrong" after it


async def test_an_edit_whose_answer_was_lost_is_retried_and_lands_once(api, db):
    async with RunningBot(api, db) as bot:
        await bot.handled(api.send_text(32, DESCRIPTION, "zh-hans"))
        (card,) = api.chat(32)
        api.drops["editMessageText"] = 1
        await bot.handled(api.press(32, card.message_id, "au:1:platform"))
        assert bot.app.bot.rate_limiter.network_retried == 1
    edits = api.calls_to("editMessageText", 32)
    assert len(edits) == 2 and "not modified" in (edits[1].error or "")    # the repeat changed nothing
    (card,) = api.chat(32)
    assert "▸ 协商描述" in card.text


@pytest.mark.parametrize("given, root, form", [
    ("https://api.telegram.org", "https://api.telegram.org", "a Bot API server root"),
    ("https://api.telegram.org/", "https://api.telegram.org", "a Bot API server root"),
    ("https://api.telegram.org/bot", "https://api.telegram.org", "python-telegram-bot's …/bot form"),
    ("http://127.0.0.1:8081/bot/", "http://127.0.0.1:8081", "python-telegram-bot's …/bot form"),
    ("http://127.0.0.1:8081/bot123:abc", "http://127.0.0.1:8081", "python-telegram-bot's …/bot form (the token after it ignored)"),
    ("https://proxy.example/tg/bot", "https://proxy.example/tg", "python-telegram-bot's …/bot form"),
    ("https://proxy.example/robot", "https://proxy.example/robot", "a Bot API server root"),
])
def test_the_base_url_is_taken_in_either_form(given, root, form, monkeypatch):
    assert api_root(given) == (root, form)
    monkeypatch.delenv("TELEGRAM_BASE_URL", raising=False)
    config = settings(argparse.Namespace(token=TOKEN, base_url=given, db="x.sqlite3"))
    assert config["base_url"] == root and config["base_url_form"] == form


@pytest.mark.parametrize("suffix, form", [("", "a Bot API server root"), ("/bot", "python-telegram-bot's …/bot form")])
def test_negobot_run_serves_with_either_form_and_says_which(api, tmp_path, suffix, form):
    status, err = serve_until_started(api, tmp_path, 21, api.base_url + suffix)
    assert api.chat(21) and api.chat(21)[0].text.startswith("negobot — drafts for returns")
    assert status == 0 and "Traceback" not in err
    assert f"Bot API at {api.base_url} (the base URL was given as {form})" in err


async def test_a_429_raises_no_deprecation_warning(api, db):
    """PTB warns on every RetryAfter unless time periods are timedeltas; negobot opts in (bot/telegram)."""
    import warnings

    from telegram.warnings import PTBDeprecationWarning

    api.rate_limit_sends, api.retry_after = 1, 1
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with RunningBot(api, db) as bot:
            await bot.handled(api.send_text(33, DESCRIPTION, "zh-hans"))
    assert len(api.chat(33)) == 1 and [c for c in api.calls_to("sendMessage") if c.error]
    assert not [w for w in caught if issubclass(w.category, PTBDeprecationWarning)]
