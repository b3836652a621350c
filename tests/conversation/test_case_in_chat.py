"""Following a case in `negobot chat` (the terminal transport over the same core): several buyer
answers, a limit, a reminder that fires when the chat resumes, the statement for the platform in
Simplified Chinese for an English-speaking merchant, closing — the whole case without leaving negobot."""

from __future__ import annotations

import datetime as dt
import io
import re

from bot.conversation.core import Conversation
from bot.conversation.model import MemoryStore
from bot.conversation.reminder_time import zone
from bot.conversation.sqlite_store import SqliteStore
from bot.conversation.terminal import MERCHANT, TerminalChat

AFTERNOON = dt.datetime(2026, 11, 30, 15, 0, tzinfo=zone("Asia/Shanghai")).timestamp()


class Clock:
    def __init__(self) -> None:
        self.now = AFTERNOON

    def __call__(self) -> float:
        return self.now


def _drafts(out: str) -> list[str]:
    return re.findall(r"─{40}\n(.*?)\n─{40}", out, re.S)


def test_a_case_from_description_to_closed_in_the_terminal_chat(engine, tmp_path):
    clock = Clock()
    out = io.StringIO()
    chat = TerminalChat(engine, out, "zh_CN", SqliteStore(tmp_path / "chat.sqlite3"), clock=clock)
    say = chat.handle
    say("退回来的羽绒服吊牌剪了，还有香水味，想部分退款退200")
    assert "¥200.00" in _drafts(out.getvalue())[-1]
    say("/limit 260")
    clock.now += 3600
    say("买家：不行，最少退我300")
    assert re.findall(r"¥\d+\.\d\d", _drafts(out.getvalue())[-1]) == ["¥250.00"]    # between 200 and 300, within 260
    say("/remind 2小时")
    clock.now += 3 * 3600
    before = len(out.getvalue())
    say("/cases")                                          # the next line typed: the reminder due meanwhile comes first
    later = out.getvalue()[before:]
    assert "⏰" in later and "#1" in later and "¥250.00" in _drafts(later)[0]   # the follow-up restates the offer
    say("买家：那280")
    assert re.findall(r"¥\d+\.\d\d", _drafts(out.getvalue())[-1]) == ["¥260.00"]    # between 250 and 280: the limit
    say("买家：最少270")
    at_limit = _drafts(out.getvalue())[-1]
    assert "¥270.00" in at_limit and "¥260.00" in at_limit and "最大诚意" in at_limit    # at the limit: says so
    say("买家：好吧，260就260")
    final = _drafts(out.getvalue())[-1]
    assert "¥260.00" in final and "确认" in final
    menu = chat.conversation.store.load_menu(MERCHANT)
    settled = menu.index("co:1:settled") + 1
    say(f"#{settled}")
    assert chat.conversation.store.load_case(MERCHANT, 1).outcome == "settled"
    say("/cases")
    assert out.getvalue().rstrip().endswith("没有进行中的案子。描述一个退货问题就会新建一个。")


def test_an_english_merchant_gets_the_statement_in_simplified_chinese_with_a_copy_to_read(engine):
    clock = Clock()
    chat = Conversation(engine, MemoryStore(), clock=clock)
    merchant = "terminal:en"
    chat.message(merchant, "Buyer returned the jacket with the tags cut off, want to refund 60 instead of 90", "en")
    clock.now += 86400
    (calm,) = chat.message(merchant, "buyer: I'm reporting you to the platform", "en")
    assert calm.draft and "platform" in calm.draft and not re.search(r"[\u4e00-\u9fff]{4}", calm.draft)
    (statement,) = chat.press(merchant, "ma:1:platform", "en")
    assert statement.draft.startswith("举证说明") and "¥60.00" in statement.draft
    assert "Statement for the platform" in statement.text and "CNY 60.00" in statement.text   # the copy to read
    assert "I'm reporting you to the platform" in statement.draft                             # the buyer's own words


def test_an_answer_before_any_case_or_to_a_closed_case_loses_nothing(engine):
    chat = Conversation(engine, MemoryStore())
    merchant = "terminal:x"
    (reply,) = chat.message(merchant, "买家：好的", "zh-hans")
    assert reply.draft is None and "请先描述退货问题" in reply.text
    chat.message(merchant, "退回来少了一件，想退款改为50元", "zh-hans")
    chat.press(merchant, "co:1:buyer_cancelled", "zh-hans")
    (reply,) = chat.buyer_answer(merchant, "我还是想退", 1, "zh-hans")
    assert "已结案" in reply.text and reply.buttons[0][0].action == "ro:1"
    (reopened,) = chat.press(merchant, "ro:1", "zh-hans")
    assert "重新打开" in reopened.text and reopened.draft
    (answer,) = chat.buyer_answer(merchant, "我还是想退", 1, "zh-hans")
    assert answer.draft or answer.buttons                    # read now that the case is open again


def test_a_pasted_chat_that_starts_with_the_buyer_is_a_description_when_no_case_is_open(engine):
    chat = Conversation(engine, MemoryStore())
    merchant = "terminal:pasted"
    (reply,) = chat.message(merchant, "买家：你们这个筋膜枪用了两次就充不进电了 我要退货 已经寄回了 单号YT7789023145566 ——— "
                                      "今天收到了 外壳裂了一大块 开不了机 但是明显是摔的 我出厂都测过 现在他说是质量问题要全额退 459", "zh-hans")
    assert reply.draft and "YT7789023145566" in reply.text
    assert "质量问题" in reply.title                          # the quality case, the merchant's doubt kept
    assert "给您添麻烦了，真的很抱歉" not in reply.draft


def test_quiet_hours_follow_the_merchants_time_zone(engine):
    clock = Clock()                                         # 15:00 in Shanghai is 07:00 in London
    chat = Conversation(engine, MemoryStore(), clock=clock)
    shanghai, london = "terminal:sh", "terminal:ldn"
    for merchant in (shanghai, london):
        chat.message(merchant, "退回来少了一件，想退款改为50元", "en")
    chat.command(london, "tz", "Europe/London", "en")
    (here,) = chat.command(shanghai, "remind", "30m", "en")
    (there,) = chat.command(london, "remind", "30m", "en")
    assert "15:30" in here.text and "night" not in here.text
    assert "08:00" in there.text and "night" in there.text   # 07:30 in London is still night there


def test_a_case_after_the_refund_stays_with_the_buyer_and_the_carrier(engine, tmp_path):
    """The refund already went out: the case opens on the carrier letter (the shop traces the parcel
    itself), the buyer's message is one tap away, and the buyer's answer gets a reply in the shop's
    chat — never a note for the negotiation field, which no longer exists for this request."""
    conversation = Conversation(engine, SqliteStore(tmp_path / "after.sqlite3"), clock=Clock())
    merchant = "telegram:77"
    card = conversation.message(merchant, "平台已经自动退款了，快递显示签收了，但我们仓库一直没收到，中通单号73123456789012")[0]
    assert "物流显示已签收" in card.draft and "73123456789012" in card.draft       # the letter to 中通
    assert "协商」（邀请取消、修改申请）用不上了" in card.text
    actions = [b.action for row in card.buttons for b in row if b.action]
    assert "au:1:buyer" in actions and not any(a.startswith("au:1:platform") for a in actions)
    buyer = conversation.press(merchant, "au:1:buyer")[0]
    assert "退款已经退给您了" in buyer.draft and "撤销" not in buyer.draft and "验货无误" not in buyer.draft
    answered = conversation.buyer_answer(merchant, "好的，我找找寄件底单发给你", 1)[0]
    assert "平台上没有可以协商的申请了" in answered.text
    audiences = [b.action for row in answered.buttons for b in row if b.action and b.action.startswith("ma:")]
    assert not any("platform" in a for a in audiences)
    assert "撤销" not in answered.draft and "售后详情" not in answered.draft


def test_the_merchant_corrects_whether_the_refund_went_out_in_one_tap(engine, tmp_path):
    """A description may not say plainly that the refund went out ("钱就秒到他账上了"): the card's button
    reads the case again as paid — drafts, advice and all — and another tap takes it back."""
    conversation = Conversation(engine, SqliteStore(tmp_path / "toggle.sqlite3"), clock=Clock())
    merchant = "telegram:78"
    card = conversation.message(merchant, "退回来少了一个充电器")[0]
    assert "撤销" in card.draft or "取消" in card.draft                   # an open request: cancel and re-apply
    paid = conversation.press(merchant, "rp:1:1")[0]
    assert paid.replace and "退款已退" in paid.text and "用不上了" in paid.text
    assert "退款已经退给您了" in paid.draft and "取消" not in paid.draft and "撤销" not in paid.draft
    assert conversation.store.load_case(merchant, 1).facts.get("refund_paid") is True
    again = conversation.press(merchant, "rp:1:0")[0]
    assert again.draft == card.draft and "退款已退" not in again.text


def test_the_card_answers_can_i_just_reject_it(engine, tmp_path):
    conversation = Conversation(engine, SqliteStore(tmp_path / "reject.sqlite3"), clock=Clock())
    card = conversation.message("telegram:79", "The jeans came back washed and the tags are cut, can I just reject the return?", "en")[0]
    assert "Can you just reject it? Better not" in card.text and card.draft
    plain = conversation.message("telegram:80", "The jeans came back washed and the tags are cut", "en")[0]
    assert "Can you just reject it" not in plain.text


def test_a_case_already_refunded_is_not_closed_as_cancelled_by_the_buyer(engine, tmp_path):
    conversation = Conversation(engine, SqliteStore(tmp_path / "close.sqlite3"), clock=Clock())
    merchant = "telegram:81"
    conversation.message(merchant, "钱已经退给买家了，结果退回来的包裹里少了一个充电器")
    outcomes = [b.action for row in conversation.press(merchant, "cl:1")[0].buttons for b in row]
    assert "co:1:settled" in outcomes and "co:1:buyer_cancelled" not in outcomes
    agreed = conversation.buyer_answer(merchant, "好的，我找到了，这就寄回给你", 1)[0]
    closes = [b.action for row in agreed.buttons for b in row if b.action and b.action.startswith("co:")]
    assert "co:1:settled" in closes and "co:1:buyer_cancelled" not in closes
