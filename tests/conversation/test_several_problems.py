"""A description with several problems: the bot drafts for the main one and offers the others."""

from __future__ import annotations

from bot.conversation.core import Conversation
from bot.conversation.model import MAX_ACTION_BYTES, MemoryStore, Reply

M = 515151
TWO_PROBLEMS = "买家退3件衬衫，退回来少了一件，而且外包装也压坏了，剩下两件里有一件被压破了，订单金额¥297"


def _also_buttons(replies: list[Reply]):
    return [b for r in replies for row in r.buttons for b in row if b.action and b.action.startswith("al:")]


def test_a_second_problem_gets_a_button_that_opens_its_drafts_on_the_same_details(engine):
    chat = Conversation(engine, MemoryStore())
    replies = chat.message(M, TWO_PROBLEMS, "zh-hans")
    prediction = engine.classifier.predict(TWO_PROBLEMS)
    assert {prediction.scenario, *prediction.also} == {"missing_items", "damaged_in_transit"}
    first = chat.store.latest_case(M)
    assert first.scenario == prediction.scenario and any(r.draft for r in replies)   # drafted for the main one
    (button,) = _also_buttons(replies)
    other = prediction.also[0]
    assert engine.catalogue.scenario(other).title["zh_CN"] in button.label and "一并处理" in button.label
    assert len(button.action.encode()) <= MAX_ACTION_BYTES

    opened = chat.press(M, button.action, "zh-hans")
    case = chat.store.latest_case(M)
    assert case.case_id != first.case_id and case.scenario == other
    assert case.slots == first.slots and case.slots.get("amount") == 297
    assert engine.catalogue.scenario(other).title["zh_CN"] in opened[0].title
    assert any(r.draft for r in opened)


def test_the_offer_speaks_the_merchants_language(engine):
    for code, word in (("en", "handle it too"), ("zh-tw", "一併處理")):
        chat = Conversation(engine, MemoryStore())
        (button,) = _also_buttons(chat.message(M, TWO_PROBLEMS, code))
        assert word in button.label


def test_one_problem_gets_no_offer(engine):
    chat = Conversation(engine, MemoryStore())
    assert _also_buttons(chat.message(M, "买家退货单号SF1409823356721填错了", "zh-hans")) == []


def test_a_stale_or_forged_offer_is_refused(engine):
    chat = Conversation(engine, MemoryStore())
    for action in ("al:999:missing_items", "al:1:unknown", "al:1:not_a_scenario"):
        (reply,) = chat.press(M, action, "en")
        assert "no longer valid" in reply.text
