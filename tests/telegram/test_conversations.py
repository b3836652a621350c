"""Whole conversations: the real Application (built by the runner) over HTTP against the fake Bot API."""

from __future__ import annotations

import asyncio
import re
import time

from fake_bot_api import FakeBotApi
from harness import RunningBot, database_held_by_another_process, serve_until_started

from bot.conversation.model import merchant_key
from bot.conversation.sqlite_store import SqliteStore
from bot.telegram.handlers import TelegramAdapter

DESCRIPTION = "买家退货单号SF1409823356721填错了"
TRADITIONAL_ONLY = set("單號買貨則訊話術請與說")


def buttons(message) -> list[str]:
    return [b["callback_data"] for row in (message.reply_markup or {}).get("inline_keyboard", []) for b in row
            if "callback_data" in b]


def copy_texts(message) -> list[str]:
    return [b["copy_text"]["text"] for row in (message.reply_markup or {}).get("inline_keyboard", []) for b in row
            if "copy_text" in b]


def draft_message(api: FakeBotApi, chat_id: int):
    """The latest bot message carrying a draft (its tap-to-copy <pre> block)."""
    return [m for m in api.chat(chat_id) if "<pre>" in m.html][-1]


def pre_block(message) -> str:
    import html
    return html.unescape(re.search(r"<pre>(.*?)</pre>", message.html, re.S).group(1))


async def test_a_simplified_chinese_merchant_gets_a_polite_draft_and_working_buttons(api, db):
    async with RunningBot(api, db) as bot:
        await bot.handled(api.send_text(1, "/start", "zh-hans"))
        (welcome,) = api.chat(1)
        assert "用一条消息说说退货遇到了什么问题" in welcome.text and "SF1409823356721" in welcome.text

        await bot.handled(api.send_text(1, DESCRIPTION, "zh-hans"))
        (draft,) = api.chat(1)[1:]                               # one message per description
        assert draft.text.startswith("退货物流单号有误") and "平台操作" in draft.text and "推荐" in draft.text
        text = pre_block(draft)
        assert "SF1409823356721" in text and "您好" in text and ("感谢" in text or "麻烦" in text)
        assert not TRADITIONAL_ONLY & set(text) and "拒绝" not in text
        assert copy_texts(draft) == [text]                       # a copy button with exactly the draft
        assert "au:1:platform" in buttons(draft) and "nt:1" in buttons(draft)

        update = api.press(1, draft.message_id, "au:1:platform")
        await bot.handled(update)
        press = api.calls_to("answerCallbackQuery")
        assert len(press) == 1 and api.answered(press[0].params["callback_query_id"])
        edited = api.chat(1)[-1]
        assert edited.message_id == draft.message_id             # edited in place, not a new message
        assert edited.text.startswith("退货物流单号有误") and "▸ 协商描述" in edited.text
        assert "SF1409823356721" in pre_block(edited) and len(api.chat(1)) == 2
        assert len(pre_block(edited)) <= 200

        await bot.handled(api.press(1, draft.message_id, "nt:1"))
        assert "是下面哪一种" in api.chat(1)[-1].text
    assert not api.errors()


async def test_traditional_and_english_merchants_get_their_own_language(api, db):
    async with RunningBot(api, db) as bot:
        await bot.handled(api.send_text(2, "/start", "zh-hant"), api.send_text(3, "/start", "en"),
                          api.send_text(2, "買家退貨單號SF1409823356721填錯了", "zh-hant"),
                          api.send_text(3, "The buyer's return tracking number SF1409823356721 is wrong", "en"))
        tw, en = api.chat(2), api.chat(3)
        assert "用一則訊息說說退貨遇到了什麼問題" in tw[0].text
        assert "Describe the return problem in one message" in en[0].text
        tw_draft, en_draft = pre_block(draft_message(api, 2)), pre_block(draft_message(api, 3))
        assert "SF1409823356721" in tw_draft and "您好" in tw_draft and TRADITIONAL_ONLY & set(tw_draft)
        assert "SF1409823356721" in en_draft and not re.search(r"[\u4e00-\u9fff]", en_draft)
        assert "▸ Message to the buyer" in draft_message(api, 3).text and len(en) == 2
        commands = {c.params.get("language_code"): c.params["commands"] for c in api.calls_to("setMyCommands")}
        assert commands["en"][0]["description"] == "What negobot does, with an example"
    assert not api.errors()


async def test_shop_survives_a_restart_and_old_buttons_still_work(api, db):
    async with RunningBot(api, db) as bot:
        await bot.handled(api.send_text(4, "/shop 小鹿家居", "zh-hans"))
        assert api.chat(4)[-1].text == "话术中的店铺名称已设为：小鹿家居"
        await bot.handled(api.send_text(4, DESCRIPTION, "zh-hans"))
        before = draft_message(api, 4)
        before_text = pre_block(before)
        assert "小鹿家居" in before_text

    async with RunningBot(api, db) as bot:                      # a new process, the same database file
        await bot.handled(api.send_text(4, "退回来少了两件，买家申请了退货退款", "zh-hans"))
        assert "小鹿家居" in pre_block(draft_message(api, 4))
        await bot.handled(api.press(4, before.message_id, "tn:1:formal"))   # a button from before the restart
        edited = api.chat(4)[[m.message_id for m in api.chat(4)].index(before.message_id)]
        assert "SF1409823356721" in pre_block(edited) and "小鹿家居" in pre_block(edited)
        assert pre_block(edited) != before_text and "亲" in before_text and "亲" not in pre_block(edited)  # formal wording
    assert not api.errors()


async def test_markup_and_template_syntax_in_merchant_text_break_nothing(api, db):
    async with RunningBot(api, db) as bot:
        await bot.handled(api.send_text(5, "/shop <b>鹿&家</b><script>", "zh-hans"))
        await bot.handled(api.send_text(5, "/sign {{ 7*7 }}{% for x in range(9) %}客服", "zh-hans"))
        await bot.handled(api.send_text(5, "<b>退回来少了两件</b> & <script>alert(1)</script> {{ 7*7 }} {% for %}", "zh-hans"))
        draft = pre_block(draft_message(api, 5))
        assert "{{ 7*7 }}{% for x in range(9) %}客服" in draft and "49" not in draft   # shown literally, as typed
        assert api.chat(5)[0].text == "话术中的店铺名称已设为：<b>鹿&家</b><script>"
        await bot.handled(api.send_text(5, "/help", "zh-hans"))
        assert "店铺：<b>鹿&家</b><script>" in api.chat(5)[-1].text
        await bot.handled(api.send_text(5, "退货包裹被快递弄丢了 <i>", "zh-hans"))
        draft = draft_message(api, 5)
        await bot.handled(api.press(5, draft.message_id, "au:2:carrier"))
        assert "<b>鹿&家</b><script>" in pre_block(draft_message(api, 5))    # the claim letter names the shop
    assert not api.errors()


async def test_a_5000_character_message_gets_a_clear_answer(api, db):
    async with RunningBot(api, db) as bot:
        await bot.handled(api.send_text(6, "退回来少了一件" * 714 + "。。", "zh-hans"))
        (reply,) = api.chat(6)
        assert "5000" in reply.text and "4000" in reply.text
        await bot.handled(api.send_text(6, "<&>" * 1300, "en"))      # 3900 characters of pure markup
        assert len(api.chat(6)) == 2 and api.chat(6)[1].text
    assert not api.errors()


async def test_forty_merchants_at_once_are_all_answered(api, db):
    async with RunningBot(api, db) as bot:
        numbers = {uid: f"SF14098233{uid:05d}" for uid in range(100, 140)}
        started = time.monotonic()
        updates = [api.send_text(uid, f"买家退货单号{number}填错了", "zh-hans") for uid, number in numbers.items()]
        await bot.handled(*updates, timeout=30)
        for uid, number in numbers.items():
            text = pre_block(draft_message(api, uid))
            assert number in text and all(n not in text for u, n in numbers.items() if u != uid)
        assert time.monotonic() - started < 20
    assert not api.errors()


async def test_429_delays_replies_but_loses_none(api, db):
    api.rate_limit_sends = 3
    api.retry_after = 1
    async with RunningBot(api, db) as bot:
        started = time.monotonic()
        await bot.handled(api.send_text(7, DESCRIPTION, "zh-hans"), api.send_text(8, "/help", "en"))
        took = time.monotonic() - started
    limited = [c for c in api.calls_to("sendMessage") if c.error]
    assert len(limited) == 3 and took >= 1.0
    assert len(api.chat(7)) == 1 and "SF1409823356721" in pre_block(draft_message(api, 7))
    assert api.chat(8)[0].text.startswith("How to use negobot")


async def test_a_missing_detail_is_asked_for_and_can_be_given_or_skipped(api, db):
    async with RunningBot(api, db) as bot:
        await bot.handled(api.send_text(9, "退回来的衣服洗过了，吊牌也剪了，想部分退款", "zh-hans"))
        (question,) = api.chat(9)                                # the question is in the answer itself
        assert "【退款金额】" in pre_block(question)
        assert question.text.rstrip().endswith("或点「跳过」先保留占位符。") and "还缺退款金额" in question.text
        assert buttons(question)[0] == "sk:1"
        await bot.handled(api.send_text(9, "20", "zh-hans"))
        assert len(api.chat(9)) == 2 and "¥20.00" in pre_block(draft_message(api, 9))
        assert "还缺" not in api.chat(9)[-1].text and "sk:1" not in buttons(api.chat(9)[-1])

        await bot.handled(api.send_text(9, "退回来的衣服洗过了，吊牌也剪了，想部分退款", "zh-hans"))
        asked = api.chat(9)[-1]
        await bot.handled(api.press(9, asked.message_id, "sk:2"))
        assert api.chat(9)[-1].message_id == asked.message_id and len(api.chat(9)) == 3     # skipped in place
        assert "【退款金额】" in pre_block(draft_message(api, 9)) and "sk:2" not in buttons(api.chat(9)[-1])
    assert not api.errors()


async def test_scenarios_browse_to_any_template_and_photos_get_a_hint(api, db):
    async with RunningBot(api, db) as bot:
        await bot.handled(api.send_text(10, "/scenarios", "zh-hans"))
        menu = api.chat(10)[0]
        assert len(buttons(menu)) == 11 and "sc:0:damaged_in_transit" in buttons(menu)
        await bot.handled(api.press(10, menu.message_id, "sc:0:damaged_in_transit"))
        draft = draft_message(api, 10)
        assert "au:1:carrier" in buttons(draft)
        await bot.handled(api.press(10, draft.message_id, "au:1:carrier"))
        assert "▸ 给快递公司的索赔函" in draft.text and len(api.chat(10)) == 2    # edited in place
        assert "涉及的件数" in draft.text and buttons(draft)[0] == "sk:1"        # the letter's first gap, asked in it
        await bot.handled(api.send_photo(10, "en"), api.send_text(10, "/nonsense", "en"))
        assert "I can only read text" in api.chat(10)[-2].text
        assert api.chat(10)[-1].text.startswith("How to use negobot")
        await bot.handled(api.send_text(10, "/lang en", "zh-hans"))
        assert api.chat(10)[-1].text.startswith("Language set to English")
    assert not api.errors()


async def test_a_locked_database_mid_conversation_asks_to_try_again_and_loses_nothing(api, db):
    async with RunningBot(api, db, busy_timeout_ms=100) as bot:
        await bot.handled(api.send_text(11, "/shop 甲店", "zh-hans"))
        with database_held_by_another_process(db):
            await bot.handled(api.send_text(12, "/shop 乙店", "zh-hans"))
            assert api.chat(12)[-1].text == "刚才没能读取你保存的设置，请过一会儿再发一次。"
        await bot.handled(api.send_text(12, "/shop 乙店", "zh-hans"), api.send_text(11, DESCRIPTION, "zh-hans"))
        assert api.chat(12)[-1].text == "话术中的店铺名称已设为：乙店"
        assert "甲店" in pre_block(draft_message(api, 11))
    assert not api.errors()


async def test_a_description_answered_while_the_database_is_locked_keeps_no_buttons_that_would_mislead(api, db):
    """The card goes out before the case is saved; if the save is then refused, its case buttons come
    off (they would act on a case that is not there, or on the next case to get its number), the copy
    button stays, and the merchant is told. Sent again later, the description gets case #1."""
    async with RunningBot(api, db, busy_timeout_ms=100) as bot:
        await bot.handled(api.send_text(14, "/shop 甲店", "zh-hans"))
        with database_held_by_another_process(db):
            await bot.handled(api.send_text(14, DESCRIPTION, "zh-hans"))
        card, told = api.chat(14)[-2:]
        assert "SF1409823356721" in pre_block(card) and "甲店" in pre_block(card)
        assert buttons(card) == [] and copy_texts(card) == [pre_block(card)]
        assert told.text.startswith("刚才没能保存") and "/cases" in told.text

        await bot.handled(api.send_text(14, DESCRIPTION, "zh-hans"))
        again = draft_message(api, 14)
        assert again.message_id != card.message_id and "nt:1" in buttons(again)
        await bot.handled(api.press(14, again.message_id, "au:1:platform"))
        assert "▸ 协商描述" in api.chat(14)[-1].text
    assert not api.errors()


async def test_an_answer_sent_just_before_the_bot_stops_is_still_saved(api, db, monkeypatch):
    """The save after the answer is awaited when the bot stops, before the database closes."""
    real_save = TelegramAdapter._save

    async def slow_save(self, *args):
        await asyncio.sleep(0.3)                   # the save still pending when the bot is told to stop
        await real_save(self, *args)
    monkeypatch.setattr(TelegramAdapter, "_save", slow_save)
    async with RunningBot(api, db) as bot:
        update = api.send_text(15, DESCRIPTION, "zh-hans")
        while update not in bot.done:
            await asyncio.sleep(0.005)
        assert "nt:1" in buttons(draft_message(api, 15))
    store = SqliteStore(db)
    try:
        case = store.latest_case(merchant_key("telegram", 15))
        assert case is not None and case.case_id == 1 and case.slots.get("tracking_number") == "SF1409823356721"
    finally:
        store.close()
    assert not api.errors()


async def test_the_merchants_next_update_reads_what_the_answered_one_saved(api, db, monkeypatch):
    """The save after the answer keeps the merchant's lock: /cases, sent right behind a description,
    waits for the case to be saved (however slow the save), and lists it."""
    real_save = TelegramAdapter._save

    async def slow_save(self, *args):
        await asyncio.sleep(0.2)
        await real_save(self, *args)
    monkeypatch.setattr(TelegramAdapter, "_save", slow_save)
    async with RunningBot(api, db) as bot:
        await bot.handled(api.send_text(16, DESCRIPTION, "zh-hans"), api.send_text(16, "/cases", "zh-hans"))
        listing = api.chat(16)[-1]
        assert "#1" in listing.text and "oc:1" in buttons(listing)
    assert not api.errors()


async def test_replies_are_never_rejected_even_when_long(api, db, monkeypatch):
    """A reply longer than one message is split at line ends, the draft over several <pre> blocks."""
    from bot.conversation import core

    long_draft = "\n".join(f"第{i}行：亲，您好～ <b>&amp; {{{{ x }}}}" + "很长的说明" * 10 for i in range(120))
    real = core.Conversation._case_reply

    def huge(self, profile, case, *args, **kwargs):
        reply = real(self, profile, case, *args, **kwargs)
        reply.draft = long_draft
        reply.buttons = [row for row in reply.buttons if row[0].action]
        return reply

    monkeypatch.setattr(core.Conversation, "_case_reply", huge)
    async with RunningBot(api, db) as bot:
        await bot.handled(api.send_text(13, DESCRIPTION, "zh-hans"))
        parts = [m for m in api.chat(13) if "<pre>" in m.html]
        assert len(parts) >= 2
        assert "\n".join(pre_block(p) for p in parts) == long_draft
        assert all(not buttons(p) for p in parts[:-1]) and "nt:1" in buttons(parts[-1])
    assert not api.errors()


def test_negobot_run_serves_and_stops_cleanly_on_sigterm(api, tmp_path):
    status, err = serve_until_started(api, tmp_path, 20)
    assert api.chat(20) and api.chat(20)[0].text.startswith("negobot — drafts for returns that went wrong")
    assert status == 0 and "Traceback" not in err
    assert (tmp_path / "bot.sqlite3").exists()


async def test_a_telegram_merchant_is_stored_under_channel_telegram(api, db):
    import sqlite3

    async with RunningBot(api, db) as bot:
        await bot.handled(api.send_text(77, "/shop 小鹿家居", "zh-hans"))
    rows = sqlite3.connect(db).execute("SELECT channel, user_id, shop FROM profiles").fetchall()
    assert rows == [("telegram", "77", "小鹿家居")]


async def test_each_description_is_one_message_and_its_buttons_edit_it(api, db):
    from pathlib import Path

    import yaml

    held = yaml.safe_load((Path(__file__).resolve().parents[1] / "data" / "heldout.yaml").read_text(encoding="utf-8"))
    texts = [t for ts in held.values() for t in ts][::8]            # ~30, every scenario, three languages
    async with RunningBot(api, db) as bot:
        updates = [api.send_text(300 + i, text, "zh-hans") for i, text in enumerate(texts)]
        await bot.handled(*updates, timeout=30)
        assert [len(api.calls_to("sendMessage", 300 + i)) for i in range(len(texts))] == [1] * len(texts)
        drafted = [300 + i for i in range(len(texts)) if "<pre>" in api.chat(300 + i)[0].html]
        assert len(drafted) > 0.8 * len(texts)

        uid = drafted[0]
        (card,) = api.chat(uid)
        assert "ad:1:1" in buttons(card) and "•" not in card.text
        await bot.handled(api.press(uid, card.message_id, "ad:1:1"))       # the advice in full, in place
        (card,) = api.chat(uid)
        assert "•" in card.text and "ad:1:0" in buttons(card) and "<pre>" in card.html
        await bot.handled(api.press(uid, card.message_id, "ad:1:0"))
        (card,) = api.chat(uid)
        assert "•" not in card.text and len(api.calls_to("sendMessage", uid)) == 1
    assert not api.errors()
