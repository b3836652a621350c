"""Whole conversations: negobot's WeCom channel over HTTP on 127.0.0.1 against the stand-in WeCom."""

from __future__ import annotations

import asyncio
import re
import sqlite3

import httpx

from bot.conversation.core import Conversation
from bot.conversation.model import MemoryStore, merchant_key
from wecom_harness import running_service, say
from wecom_standin import encrypt

DESCRIPTION = "买家退货单号SF1409823356721填错了"
TRADITIONAL_ONLY = set("單號買貨則訊話術請與說")
CHOICE = re.compile(r"^\[(\d+)\] (.+)$", re.M)


def choices(messages: list[str]) -> dict[str, int]:
    """label → number, over every numbered line negobot sent."""
    return {label: int(n) for m in messages for n, label in CHOICE.findall(m)}


def draft_of(messages: list[str], needle: str) -> str:
    (draft,) = [m for m in messages if needle in m and not m.startswith("【") and "[1]" not in m]
    return draft


async def test_the_callback_url_is_verified(wecom, bot):
    status, body, echo = await wecom.verify_url()
    assert status == 200 and body == echo


async def test_a_description_gets_the_scenario_advice_and_a_simplified_draft_alone_in_its_message(wecom, bot):
    messages = await say(wecom, bot, "zhangsan", DESCRIPTION)
    assert 2 <= len(messages) <= 4
    assert messages[0].startswith("【退货物流单号有误") and "平台操作" in messages[0]
    draft = draft_of(messages, "SF1409823356721")
    assert "您好" in draft and not TRADITIONAL_ONLY & set(draft) and "拒绝" not in draft
    assert not CHOICE.search(draft) and "【" not in draft.splitlines()[0][:1]
    expected = Conversation(bot.conversation.engine, MemoryStore()).message(merchant_key("telegram", 1), DESCRIPTION)
    assert draft == next(r.draft for r in expected if r.draft)     # exactly the Telegram bot's draft
    assert all(len(m.encode()) <= 2048 for m in messages) and not wecom.refused and not wecom.dropped


async def test_choices_are_numbered_and_answered_by_number(wecom, bot):
    messages = await say(wecom, bot, "lisi", DESCRIPTION)
    numbers = choices(messages)
    platform = next(n for label, n in numbers.items() if "协商描述" in label)
    answer = await say(wecom, bot, "lisi", str(platform))
    assert answer[0].startswith("【退货物流单号有误") and "▸ 协商描述" in answer[0]    # the case, now on the note
    note = draft_of(answer, "SF1409823356721")
    assert len(note) <= 200
    english = choices(answer)["English"]
    answer = await say(wecom, bot, "lisi", f"#{english}")
    assert "SF1409823356721" in draft_of(answer, "SF1409823356721") and re.search(r"[A-Za-z]{4,}", answer[1])


async def test_a_detail_question_is_answered_with_a_bare_number(wecom, bot):
    messages = await say(wecom, bot, "wangwu", "退回来少了，买家只退回了一部分")
    assert "件数" in messages[-1] and "跳过" in messages[-1]
    answer = await say(wecom, bot, "wangwu", "2")          # "2" is the answer, not choice 2
    assert answer[0].startswith(messages[0].split("\n")[0]) and "▸ 给买家的消息" in answer[0]
    assert any("2件" in m or "两件" in m for m in answer), answer


async def test_settings_survive_a_restart_and_choices_still_work(wecom, db, engine):
    async with running_service(wecom, db, engine) as bot:
        await say(wecom, bot, "zhaoliu", "/shop 小鹿家居")
        await say(wecom, bot, "zhaoliu", "/sign 小鹿家居客服 阿敏")
        first = await say(wecom, bot, "zhaoliu", DESCRIPTION)
    async with running_service(wecom, db, engine) as bot:      # negobot restarted
        tone = next(n for label, n in choices(first).items() if "语气" in label)
        again = await say(wecom, bot, "zhaoliu", str(tone))
        draft = draft_of(again, "SF1409823356721")
        assert "小鹿家居客服 阿敏" in draft
        assert "小鹿家居" in "".join(await say(wecom, bot, "zhaoliu", "/help"))


async def test_a_retried_message_is_answered_once(wecom, bot):
    # WeCom did not get the first two answers in time, so it sends the same MsgId a second and third time
    statuses = await wecom.send("sunqi", DESCRIPTION, msg_id=987654321, lose_answers=2)
    assert statuses == [None, None, 200]
    assert await wecom.send("sunqi", DESCRIPTION, msg_id=987654321) == [200]     # and once more, later
    await bot.channel.drain()
    once = len(await say(wecom, bot, "zhouba", DESCRIPTION))
    assert len(wecom.inbox("sunqi")) == once
    assert bot.channel.stats["duplicates"] >= 1


async def test_a_forged_signature_or_garbage_is_refused_and_touches_nothing(wecom, bot, db):
    encrypted = encrypt(wecom.aes_key, wecom.corp_id, wecom.message_xml("mallory", "/shop 假店", 1))
    forged = {**wecom.signed_query(encrypted), "msg_signature": "f" * 40}
    assert await wecom.post(wecom.envelope(encrypted), forged, retries=0) == [403]
    wrong_key = encrypt("A" * 43, wecom.corp_id, wecom.message_xml("mallory", "/shop 假店", 2))
    assert await wecom.post(wecom.envelope(wrong_key), wecom.signed_query(wrong_key), retries=0) == [400]
    stale = wecom.signed_query(encrypted, timestamp=1476422779)
    assert await wecom.post(wecom.envelope(encrypted), stale, retries=0) == [403]
    async with httpx.AsyncClient() as client:
        assert (await client.get(wecom.callback_url, params={"echostr": "x"})).status_code == 400
        try:        # over the body limit: tornado refuses it before reading it (4xx or a closed connection)
            assert (await client.post(wecom.callback_url, content=b"<xml>" * 100_000)).status_code in (400, 413)
        except httpx.TransportError:
            pass
    await bot.channel.drain()
    assert wecom.inbox("mallory") == [] and not wecom.delivered
    rows = sqlite3.connect(db).execute("SELECT COUNT(*) FROM profiles").fetchone()[0]
    assert rows == 0


async def test_a_5000_character_message_gets_one_clear_answer(wecom, bot):
    messages = await say(wecom, bot, "qianjiu", "买家退货单号填错了" + "啊" * 4991)
    assert len(messages) == 1 and "5000" in messages[0] and len(messages[0].encode()) <= 2048


async def test_twenty_merchants_at_once_are_all_answered_in_their_own_conversation(wecom, bot):
    members = [f"shop{i:02d}" for i in range(20)]
    numbers = [f"SF14098233567{i:02d}" for i in range(20)]
    statuses = await asyncio.gather(*(wecom.send(m, f"买家退货单号{n}填错了") for m, n in zip(members, numbers)))
    assert all(s == [200] for s in statuses)
    await bot.channel.drain()
    for member, number in zip(members, numbers):
        inbox = wecom.inbox(member)
        assert any(number in m for m in inbox) and not any(n in m for m in inbox for n in numbers if n != number)
    assert not wecom.refused and not wecom.dropped


async def test_traditional_and_english_merchants_get_their_own_language(wecom, bot):
    await say(wecom, bot, "chen", "/lang 繁體")
    tw = await say(wecom, bot, "chen", DESCRIPTION)
    assert tw[0].startswith("【退貨物流單號有誤") and "SF1409823356721" in draft_of(tw, "SF1409823356721")
    taiwan = Conversation(bot.conversation.engine, MemoryStore())
    taiwan.language(merchant_key("telegram", 3), "zh_TW")
    expected = taiwan.message(merchant_key("telegram", 3), DESCRIPTION)
    assert draft_of(tw, "SF1409823356721") == next(r.draft for r in expected if r.draft)
    await say(wecom, bot, "amy", "/lang en")
    en = await say(wecom, bot, "amy", "the buyer typed the wrong return tracking number SF1409823356721")
    draft = draft_of(en, "SF1409823356721")
    assert re.search(r"\b(Hello|Hi|Dear)\b", draft) and not re.search(r"[\u4e00-\u9fff]", draft)
    core = Conversation(bot.conversation.engine, MemoryStore())
    key = merchant_key("telegram", 2)
    core.language(key, "en")
    expected = core.message(key, "the buyer typed the wrong return tracking number SF1409823356721")
    assert draft == next(r.draft for r in expected if r.draft)


async def test_a_photo_gets_a_request_for_words_and_joining_the_app_a_welcome(wecom, bot):
    assert await wecom.send("liu", msg_type="image") == [200]
    assert await wecom.send("liu", msg_type="event", event="subscribe") == [200]
    assert await wecom.send("liu", msg_type="event", event="enter_agent") == [200]
    await bot.channel.drain()
    photo, welcome = wecom.inbox("liu")[0], wecom.inbox("liu")[1:]
    assert "文字" in photo or "文本" in photo
    assert welcome and "SF1409823356721" in "".join(welcome)


async def test_an_expired_token_is_refreshed_once_and_nothing_is_lost(wecom, bot):
    await say(wecom, bot, "he", "/help")
    fetches = wecom.token_fetches
    wecom.expire_tokens()
    messages = await say(wecom, bot, "he", DESCRIPTION)
    assert messages and wecom.token_fetches == fetches + 1
    assert [r["errcode"] for r in wecom.refused] == [42001]


async def test_transient_failures_are_retried_and_a_slow_answer_sends_nothing_twice(wecom, bot):
    bot.api._client.timeout = httpx.Timeout(0.3)
    wecom.fail_next(2)                       # errcode -1: system busy, twice
    wecom.stall_next(1, 1.0)                 # delivered, but the answer comes after negobot gave up waiting
    messages = await say(wecom, bot, "lu", DESCRIPTION)
    reference = await say(wecom, bot, "lu2", DESCRIPTION)
    assert len(messages) == len(reference)               # nothing lost, nothing twice
    assert len(wecom.deduplicated) == 1 and bot.api.stats["retries"] >= 3


async def test_a_message_retried_after_a_restart_is_not_answered_again(wecom, db, engine):
    async with running_service(wecom, db, engine) as bot:
        await wecom.send("wu", DESCRIPTION, msg_id=555000111)
        await bot.channel.drain()
    answered = list(wecom.inbox("wu"))
    async with running_service(wecom, db, engine) as bot:      # negobot restarted between WeCom's tries
        assert await wecom.send("wu", DESCRIPTION, msg_id=555000111) == [200]
        await bot.channel.drain()
    assert answered and wecom.inbox("wu") == answered


async def test_full_width_commands_and_numbers_from_a_chinese_keyboard_work(wecom, bot):
    assert "小鹿家居" in "".join(await say(wecom, bot, "xu", "／shop　小鹿家居"))      # full-width slash and space
    first = await say(wecom, bot, "xu", DESCRIPTION)
    platform = next(n for label, n in choices(first).items() if "协商描述" in label)
    full_width = str(platform).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert "▸ 协商描述" in (await say(wecom, bot, "xu", full_width))[0]


async def test_a_case_is_followed_in_wecom_too_answers_a_limit_and_a_reminder(wecom, db, engine):
    """The same flow as the Telegram bot: the buyer's answer read, the limit asked for, a reminder
    claimed from the store and sent through message/send with the follow-up draft."""
    clock = [1_796_022_000.0]          # an afternoon in Shanghai
    async with running_service(wecom, db, engine, clock=lambda: clock[0]) as bot:
        await say(wecom, bot, "zhaoliu", "四件套退回来少了一个枕套，想退款改为80元")
        asked = await say(wecom, bot, "zhaoliu", "买家：不行，凭什么少退我钱")
        assert any("上限" in m for m in asked)                  # a better offer needs the merchant's limit first
        offer = await say(wecom, bot, "zhaoliu", "100")
        assert any("¥90.00" in m for m in offer)               # halfway to the limit
        await say(wecom, bot, "zhaoliu", "/remind 2小时")
        clock[0] += 3 * 3600
        assert await bot.channel.deliver_reminders() == 1
        reminder = wecom.inbox("zhaoliu")[-3:]                  # the reminder, its draft, its choices
        assert any("提醒" in m for m in reminder) and any("¥90.00" in m for m in reminder)
        assert await bot.channel.deliver_reminders() == 0      # claimed once


async def test_an_answer_whose_numbers_cannot_be_saved_saves_nothing_and_asks_again(wecom, bot, monkeypatch):
    """The case and the numbers of its choices are one update: if the numbers cannot be saved (the
    database is held by another process), the merchant is asked to send again and that sends case #1
    again — not a second case beside a first one whose numbers were never kept."""
    from bot.conversation.sqlite_store import StoreLocked

    store = bot.conversation.store
    real_save_menu = store.save_menu

    def locked(*args, **kwargs):
        raise StoreLocked("database is locked")
    monkeypatch.setattr(store, "save_menu", locked)
    messages = await say(wecom, bot, "zhaoliu", DESCRIPTION)
    assert len(messages) == 1 and "再发一次" in messages[0], messages
    key = merchant_key("wecom", "zhaoliu")
    assert store.latest_case(key) is None                     # nothing of the failed update was kept
    monkeypatch.setattr(store, "save_menu", real_save_menu)
    messages = await say(wecom, bot, "zhaoliu", DESCRIPTION)
    assert store.latest_case(key).case_id == 1
    platform = next(n for label, n in choices(messages).items() if "协商描述" in label)
    answer = await say(wecom, bot, "zhaoliu", str(platform))
    assert "▸ 协商描述" in answer[0]
