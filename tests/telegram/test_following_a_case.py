"""Following a case to its end through the real Application and the fake Bot API: the buyer's answers
(pasted, forwarded, replied to a case message), the next moves, the merchant's limit, reminders
that survive a restart, the statement for the platform, closing — and bad input on the way."""

from __future__ import annotations

import asyncio
import datetime as dt
import re

from bot.conversation.reminder_time import zone
from harness import RunningBot
from test_conversations import buttons, copy_texts, draft_message, pre_block

CASE = "四件套退回来少了一个枕套，想退款改为80元"
SHANGHAI_AFTERNOON = dt.datetime(2026, 11, 30, 15, 0, tzinfo=zone("Asia/Shanghai")).timestamp()


class Clock:
    def __init__(self, now: float = SHANGHAI_AFTERNOON):
        self.now = now

    def __call__(self) -> float:
        return self.now


def amounts(text: str) -> list[str]:
    return re.findall(r"¥\d+\.\d\d", text)


async def test_agreement_confirms_what_the_buyer_does_next_and_the_case_closes(api, db):
    async with RunningBot(api, db) as bot:
        await bot.handled(api.send_text(21, CASE))
        card = draft_message(api, 21)
        assert "ba:1" in buttons(card) and amounts(pre_block(card)) == ["¥80.00"]
        await bot.handled(api.press(21, card.message_id, "ba:1"))
        await bot.handled(api.send_text(21, "好的，就按你说的办吧"))
        answer = draft_message(api, 21)
        draft = pre_block(answer)
        assert "¥80.00" in draft and "确认" in draft            # the amended amount, and that the buyer confirms it
        assert "ma:1:platform" in buttons(answer) and "co:1:settled" in buttons(answer)
        assert draft in copy_texts(answer)
        await bot.handled(api.press(21, answer.message_id, "ma:1:platform"))
        note = pre_block(draft_message(api, 21))
        assert "¥80.00" in note and len(note) <= 200
        await bot.handled(api.press(21, api.chat(21)[-1].message_id, "co:1:settled"))
        assert "ro:1" in buttons(api.chat(21)[-1])
        await bot.handled(api.send_text(21, "/cases"))
        assert "#1" not in api.chat(21)[-1].text                # closed cases are not listed
        await bot.handled(api.send_text(21, "/buyer 还有一件事想问"))
        assert "#1" not in api.chat(21)[-1].text or "ro:1" in buttons(api.chat(21)[-1])
    assert not api.errors()


async def test_refusal_brings_a_better_offer_within_the_limit_then_agreement(api, db):
    async with RunningBot(api, db) as bot:
        await bot.handled(api.send_text(22, CASE))
        await bot.handled(api.send_text(22, "/limit 100"))
        await bot.handled(api.send_text(22, "不行，凭什么少退我钱", forwarded_from="买家小王"))
        second = draft_message(api, 22)
        assert amounts(pre_block(second)) == ["¥90.00"]         # halfway from 80 to the limit of 100
        # the merchant replies to the bot's message with the buyer's next answer
        await bot.handled(api.send_text(22, "还是太少了，不同意", reply_to=second.message_id))
        third = draft_message(api, 22)
        assert amounts(pre_block(third)) == ["¥95.00"] and third.message_id != second.message_id
        await bot.handled(api.send_text(22, "买家：行吧，那就这样"))
        confirm = pre_block(draft_message(api, 22))
        assert "¥95.00" in confirm and "¥100" not in confirm
    assert not api.errors()


async def test_a_counter_offer_above_the_limit_meets_in_between_and_never_passes_the_limit(api, db):
    async with RunningBot(api, db) as bot:
        await bot.handled(api.send_text(23, "/limit default 100"))
        await bot.handled(api.send_text(23, CASE))
        await bot.handled(api.send_text(23, "买家：最少要给我退150，不然免谈"))
        offer = pre_block(draft_message(api, 23))
        assert amounts(offer) == ["¥100.00"]                   # between 80 and 150 is 115: capped at the limit
        await bot.handled(api.send_text(23, "买家：那退我98就行"))
        accepted = pre_block(draft_message(api, 23))
        assert "¥98.00" in accepted                             # within the limit: the buyer's figure is taken
    assert not api.errors()


async def test_a_counter_offer_without_a_limit_asks_for_it_first(api, db):
    async with RunningBot(api, db) as bot:
        await bot.handled(api.send_text(24, CASE))
        await bot.handled(api.send_text(24, "买家：退我120吧"))
        asked = api.chat(24)[-1]
        assert "<pre>" not in asked.html and "120" in asked.text    # no draft before the merchant decides
        await bot.handled(api.send_text(24, "110"))
        assert amounts(pre_block(draft_message(api, 24))) == ["¥100.00"]    # halfway from 80 to the buyer's 120
    assert not api.errors()


async def test_no_answer_the_reminder_fires_once_after_a_restart(api, db):
    clock = Clock()
    async with RunningBot(api, db, clock=clock, reminder_interval=0.05) as bot:
        await bot.handled(api.send_text(25, CASE))
        card = draft_message(api, 25)
        await bot.handled(api.press(25, card.message_id, "rd:1:ask"))
        await bot.handled(api.send_text(25, "2小时"))
        assert "17:00" in api.chat(25)[-1].text
        sent = len(api.chat(25))
        await asyncio.sleep(0.3)
        assert len(api.chat(25)) == sent                        # not due yet

    clock.now += 3 * 3600                                       # the bot was down while it fell due
    async with RunningBot(api, db, clock=clock, reminder_interval=0.05):
        for _ in range(100):
            if len(api.chat(25)) > sent:
                break
            await asyncio.sleep(0.05)
        reminder = api.chat(25)[-1]
        assert "#1" in reminder.text and "¥80.00" in pre_block(reminder)   # the follow-up restates the offer
        assert "ba:1" in buttons(reminder)
        await asyncio.sleep(0.3)
    async with RunningBot(api, db, clock=clock, reminder_interval=0.05):
        await asyncio.sleep(0.3)
    assert len(api.chat(25)) == sent + 1                        # once, across restarts
    assert not api.errors()


async def test_a_reminder_at_night_waits_for_the_morning_and_closing_cancels_it(api, db):
    clock = Clock(SHANGHAI_AFTERNOON + 7 * 3600)                # 22:00 in Shanghai
    async with RunningBot(api, db, clock=clock, reminder_interval=0.05) as bot:
        await bot.handled(api.send_text(26, CASE))
        await bot.handled(api.send_text(26, "/remind 1h"))
        assert "12-01 08:00" in api.chat(26)[-1].text
        await bot.handled(api.send_text(26, "/remind #1 30m"))
        await bot.handled(api.press(26, draft_message(api, 26).message_id, "cl:1"))
        await bot.handled(api.press(26, api.chat(26)[-1].message_id, "co:1:buyer_cancelled"))
        clock.now += 12 * 3600
        sent = len(api.chat(26))
        await asyncio.sleep(0.3)
        assert len(api.chat(26)) == sent                        # the case closed: no reminder
    assert not api.errors()


async def test_escalation_gets_a_statement_citing_the_negotiation_with_its_dates(api, db):
    clock = Clock()
    async with RunningBot(api, db, clock=clock) as bot:
        await bot.handled(api.send_text(27, CASE))
        await bot.handled(api.send_text(27, "/limit 100"))
        clock.now += 86400
        await bot.handled(api.send_text(27, "买家：不行，凭什么少退我钱"))
        clock.now += 86400
        await bot.handled(api.send_text(27, "买家：你们就是骗子，我要投诉到平台，申请平台介入"))
        calm = draft_message(api, 27)                           # first, a message that keeps negotiating
        assert "平台" in pre_block(calm) and "¥90.00" in pre_block(calm)
        assert "ma:1:platform" in buttons(calm)
        await bot.handled(api.press(27, calm.message_id, "ma:1:platform"))
        statement = draft_message(api, 27)
        text = pre_block(statement)
        assert "2026年11月30日" in text and "2026年12月1日" in text and "2026年12月2日" in text
        assert "凭什么少退我钱" in text and "¥80.00" in text and "¥90.00" in text
        assert "枕套" in text and "【订单号】" in text           # the facts the merchant gave; the order number to fill in
        assert "ma:1:buyer" in buttons(statement)
    assert not api.errors()


async def test_bad_input_on_the_way_gets_a_clear_answer_and_loses_nothing(api, db):
    async with RunningBot(api, db) as bot:
        await bot.handled(api.send_text(28, CASE))
        await bot.handled(api.press(28, draft_message(api, 28).message_id, "ba:1"))
        await bot.handled(api.send_photo(28))                   # a screenshot instead of text
        assert "<pre>" not in api.chat(28)[-1].html
        pasted = "\n".join(f"买家小王 2026-11-29 14:{i % 60:02d}\n亲，我再说一遍，东西是你们发错的" for i in range(200))
        assert len(pasted) > 5000
        await bot.handled(api.send_text(28, pasted))
        too_long = api.chat(28)[-1]
        assert "5000" in too_long.text and "<pre>" not in too_long.html
        chat = "客服 14:02\n想跟您商量退款改为80元\n买家小王 14:05\n" + "我真的很着急，" * 300 + "\n好吧，那就80吧"
        await bot.handled(api.send_text(28, chat, forwarded_from="买家小王"))
        assert "¥80.00" in pre_block(draft_message(api, 28))    # a 2 000-character pasted chat is read
        await bot.handled(api.send_text(28, "/cases"))
        assert "#1" in api.chat(28)[-1].text
    assert not api.errors()
