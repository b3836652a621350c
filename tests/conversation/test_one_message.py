"""The answer to a description is one message: case, platform action, recommendation, draft, question, buttons."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.conversation.core import Conversation
from bot.conversation.details import _ASKED
from bot.conversation.model import MemoryStore, Reply
from bot.conversation.sqlite_store import SqliteStore
from bot.engine.catalogue import LOCALES, UNKNOWN

M = "telegram:515151"
DATA = Path(__file__).resolve().parents[1] / "data"


def _actions(replies: list[Reply]) -> list[str]:
    return [b.action for r in replies for row in r.buttons for b in row if b.action]


def _descriptions() -> list[str]:
    held = yaml.safe_load((DATA / "heldout.yaml").read_text(encoding="utf-8"))
    texts = [text for texts in held.values() for text in texts]
    for name in ("facts_heldout.yaml", "facts_cases.yaml"):    # unsure fault, time frames, values…
        texts += [c["text"] for c in yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["cases"]]
    return texts


def test_every_description_is_answered_in_one_reply_with_the_recommended_draft(engine):
    chat = Conversation(engine, MemoryStore())
    texts = _descriptions()
    assert len(texts) > 200
    drafted = 0
    for i, text in enumerate(texts):
        replies = chat.message(M, text, ("zh-hans", "zh-hant", "en")[i % 3])
        assert len(replies) == 1, text
        (reply,) = replies
        case = chat.store.latest_case(M)
        if reply.draft:
            drafted += 1
            options = engine.remedy_options(case.scenario, case.facts)
            assert case.remedy == options[0].remedy and case.audience == "buyer"
            actions = _actions(replies)
            assert f"nt:{case.case_id}" in actions and f"ad:{case.case_id}:1" in actions
            assert {f"rm:{case.case_id}:{o.remedy}" for o in options[1:]} <= set(actions)
            if case.pending:                       # the question is in the same reply, with its Skip
                assert reply.footer and f"sk:{case.case_id}" in actions
            else:
                assert reply.footer is None and f"sk:{case.case_id}" not in actions
        else:
            assert case.scenario == UNKNOWN or case.remedy is None or reply.text
    assert drafted > 0.8 * len(texts)


def test_advice_in_full_and_back_edit_the_same_message(engine):
    chat = Conversation(engine, MemoryStore())
    (first,) = chat.message(M, "退回来少了两件，买家申请了退货退款", "zh-hans")
    case = chat.store.latest_case(M)
    advice = engine.advice(case.scenario, "zh_CN")
    assert not any(step in first.text for step in advice[1:])
    (full,) = chat.press(M, f"ad:{case.case_id}:1")
    assert full.replace and all(step in full.text for step in advice[1:]) and full.draft == first.draft
    assert f"ad:{case.case_id}:0" in _actions([full])
    (back,) = chat.press(M, f"ad:{case.case_id}:0")
    assert back.replace and back.text == first.text


def test_every_button_of_a_case_edits_its_one_message(engine):
    chat = Conversation(engine, MemoryStore())
    (first,) = chat.message(M, "快递把退货压坏了，单号YT1234567890123", "zh-hans")
    for action in _actions([first]):
        if action.startswith(("au:", "rm:", "tn:", "dl:", "ad:")):
            replies = chat.press(M, action)
            assert len(replies) == 1 and replies[0].replace, action
            assert replies[0].title == first.title


def _asked_in_turn(chat: Conversation, action: str) -> tuple[list[str], Reply]:
    """Press `action`, then Skip each question in turn: the details asked, in order, and the last reply."""
    (reply,) = chat.press(M, action)
    asked = []
    while (case := chat.store.latest_case(M)).pending:
        asked.append(case.pending)
        (reply,) = chat.press(M, f"sk:{case.case_id}")
        assert reply.replace                     # skipping edits the message in place
    return asked, reply


def test_quantity_and_every_asked_detail_is_asked_wherever_a_draft_shows_its_placeholder(engine):
    chat = Conversation(engine, MemoryStore())
    seen_quantity = 0
    for scenario in engine.catalogue.scenarios.values():
        if scenario.id == UNKNOWN:
            continue
        for remedy in scenario.remedies:
            for audience in engine.catalogue.remedy(remedy).audiences:
                chat.press(M, f"sc:0:{scenario.id}")
                case = chat.store.latest_case(M)
                case.remedy, case.audience, case.skipped, case.pending = remedy, audience, [], None
                chat.store.save_case(case)
                draft = chat._write(chat.profile(M), case)
                asked, last = _asked_in_turn(chat, f"ad:{case.case_id}:0")
                assert asked == [slot for slot in _ASKED if slot in draft.missing], (scenario.id, remedy, audience)
                seen_quantity += "quantity" in asked
                assert last.footer is None
    assert seen_quantity >= 3


def test_phone_is_a_shop_setting_asked_for_by_carrier_letters(engine, tmp_path):
    path = tmp_path / "negobot.sqlite3"
    chat = Conversation(engine, SqliteStore(path))
    (usage,) = chat.set_phone(M, "", "zh-hans")
    assert "/phone" in usage.text and "未设置" in usage.text
    (bad,) = chat.set_phone(M, "call me", "zh-hans")
    assert "不像电话号码" in bad.text and chat.profile(M).phone is None

    chat.message(M, "退货包裹被快递弄丢了", "zh-hans")
    case = chat.store.latest_case(M)
    asked, letter = _asked_in_turn(chat, f"au:{case.case_id}:carrier")
    assert asked[-1] == "phone" and "【联系电话】" in letter.draft

    chat.message(M, "退货包裹被快递弄丢了", "zh-hans")
    case = chat.store.latest_case(M)
    chat.press(M, f"au:{case.case_id}:carrier")
    while (case := chat.store.latest_case(M)).pending != "phone":
        chat.press(M, f"sk:{case.case_id}")
    (answered,) = chat.message(M, "138-0013-8000", "zh-hans")
    assert "联系电话：138-0013-8000" in answered.draft and not answered.replace
    chat.store.close()

    chat = Conversation(engine, SqliteStore(path))          # kept in the profile, across a restart
    assert chat.profile(M).phone == "138-0013-8000"
    assert "电话：138-0013-8000" in chat.help(M)[0].text
    chat.message(M, "快递把退货压坏了，单号YT1234567890123", "zh-hans")
    case = chat.store.latest_case(M)
    asked, letter = _asked_in_turn(chat, f"au:{case.case_id}:carrier")
    assert "phone" not in asked and "联系电话：138-0013-8000" in letter.draft
    (done,) = chat.set_phone(M, "+86 21 5555 0100", "en")
    assert done.text == "Carrier letters will give the contact phone: +86 21 5555 0100"   # the client now says en
    assert chat.profile(M).phone == "+86 21 5555 0100"


def test_a_low_confidence_case_asks_in_one_message_and_the_answer_replaces_it(engine):
    chat = Conversation(engine, MemoryStore())
    for locale in LOCALES:
        code = {"zh_CN": "zh-hans", "zh_TW": "zh-hant", "en": "en"}[locale]
        (reply,) = chat.message(M, "退货有点问题", code)
        case = chat.store.latest_case(M)
        pick = next((a for a in _actions([reply]) if a.startswith(f"sc:{case.case_id}:")), None)
        if pick:
            (chosen,) = chat.press(M, pick)
            assert chosen.replace and chosen.draft


def test_a_second_problem_is_a_button_on_the_same_card_and_stays_there(engine, tmp_path):
    text = "买家退3件衬衫，退回来少了一件，而且外包装也压坏了，剩下两件里有一件被压破了，订单金额¥297"
    path = tmp_path / "negobot.sqlite3"
    chat = Conversation(engine, SqliteStore(path))
    (card,) = chat.message(M, text, "zh-hans")                # one message, the other problem on it
    also = [a for a in _actions([card]) if a.startswith("al:")]
    assert len(also) == 1 and card.draft
    case = chat.store.latest_case(M)
    chat.store.close()
    chat = Conversation(engine, SqliteStore(path))            # kept with the case, across a restart
    (toned,) = chat.press(M, f"tn:{case.case_id}:formal")
    assert toned.replace and also[0] in _actions([toned])
    (opened,) = chat.press(M, also[0])
    assert not opened.replace and opened.draft and not [a for a in _actions([opened]) if a.startswith("al:")]
    assert "_also" not in chat.store.latest_case(M).facts
