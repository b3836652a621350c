"""The conversation core over the SQLite store: what a merchant notices across restarts and buttons."""

from __future__ import annotations

import pytest

from bot.conversation.core import Conversation
from bot.conversation.model import MAX_ACTION_BYTES, MAX_COPY_CHARS, MemoryStore, Reply
from bot.conversation.sqlite_store import SqliteStore
from bot.engine.catalogue import LOCALES, UNKNOWN

M = "telegram:424242"


def _actions(replies: list[Reply]) -> list[str]:
    return [b.action for r in replies for row in r.buttons for b in row if b.action]


def _drafts(replies: list[Reply]) -> list[str]:
    return [r.draft for r in replies if r.draft]


def test_shop_signature_and_buttons_survive_a_restart(engine, tmp_path):
    path = tmp_path / "negobot.sqlite3"
    store = SqliteStore(path)
    chat = Conversation(engine, store)
    chat.set_shop(M, "小鹿家居", "zh-hans")
    chat.set_signature(M, "小鹿家居客服 阿敏", "zh-hans")
    first = chat.message(M, "买家退货单号SF1409823356721填错了", "zh-hans")
    actions = _actions(first)
    store.close()

    chat = Conversation(engine, SqliteStore(path))          # the bot restarted
    tone = next(a for a in actions if a.startswith("tn:"))
    replies = chat.press(M, tone, "zh-hans")
    (draft,) = _drafts(replies)
    assert "SF1409823356721" in draft and "小鹿家居客服 阿敏" in draft
    assert replies[0].replace                               # the pressed message is updated in place
    platform = next(a for a in actions if a.startswith("au:"))
    (note,) = _drafts(chat.press(M, platform, "zh-hans"))
    assert len(note) <= 200 and "SF1409823356721" in note


def test_every_button_fits_telegram_limits_even_with_huge_case_ids(engine):
    class BigIds(MemoryStore):
        def new_case_id(self, merchant_id: str) -> int:
            return super().new_case_id(merchant_id) + 10**15

    chat = Conversation(engine, BigIds())
    seen = set()
    for scenario in engine.catalogue.scenarios.values():
        if scenario.id == UNKNOWN:
            continue
        for locale in LOCALES:
            replies = chat.press(M, f"sc:0:{scenario.id}", {"zh_CN": "zh", "zh_TW": "zh-tw", "en": "en"}[locale])
            queue = list(_actions(replies))
            while queue:
                action = queue.pop()
                if action in seen or action.startswith(("ls", "lg")):
                    continue
                seen.add(action)
                replies = chat.press(M, action)
                for reply in replies:
                    for row in reply.buttons:
                        for button in row:
                            if button.action:
                                assert len(button.action.encode()) <= MAX_ACTION_BYTES
                            else:
                                assert len(button.copy_text) <= MAX_COPY_CHARS
                queue.extend(a for a in _actions(replies) if a.startswith(("rm", "au")))
    assert len(seen) > 30


def test_expired_buttons_say_so_instead_of_touching_another_case(engine, tmp_path):
    store = SqliteStore(tmp_path / "db", keep_cases=2)
    chat = Conversation(engine, store)
    old = _actions(chat.message(M, "退回来少了两件", "zh-hans"))
    chat.press(M, "co:1:settled", "zh-hans")            # only closed cases are pruned
    for text in ("快递把退货压坏了", "买家寄错地址了", "退货单号查不到"):
        chat.message(M, text, "zh-hans")
    (reply,) = chat.press(M, next(a for a in old if a.startswith("tn:")), "zh-hans")
    assert reply.text == "这个按钮已失效，请重新发送情况描述。" and reply.draft is None


def test_open_cases_are_never_pruned(engine, tmp_path):
    store = SqliteStore(tmp_path / "db", keep_cases=2)
    chat = Conversation(engine, store)
    chat.message(M, "退回来少了两件", "zh-hans")
    for text in ("快递把退货压坏了", "买家寄错地址了", "退货单号查不到"):
        chat.message(M, text, "zh-hans")
    assert [c.case_id for c in store.open_cases(M)] == [4, 3, 2, 1]


@pytest.mark.parametrize("code, expected", [("zh-hans", "请再试一次"), ("zh-hk", "請再試一次"), ("en", "Please try again"),
                                            ("de", "请再试一次"), (None, "请再试一次")])
def test_failure_replies_are_in_the_merchants_language(code, expected):
    assert expected in Conversation.went_wrong(code)[0].text
    assert Conversation.try_again(code)[0].text and Conversation.not_text(code)[0].text


def test_command_menu_is_translated():
    zh = dict(Conversation.command_menu("zh_CN"))
    en = dict(Conversation.command_menu("en"))
    assert set(zh) == set(en) == {"start", "help", "scenarios", "lang", "shop", "sign", "phone",
                                  "cases", "buyer", "remind", "limit", "note", "rename", "tz"}
    assert zh["shop"] == "设置话术里的店铺名称" and en["shop"] == "Set the shop name drafts use"


def test_a_deduction_stays_a_deduction_after_a_restart(engine, tmp_path):
    path = tmp_path / "negobot.sqlite3"
    chat = Conversation(engine, SqliteStore(path))
    first = chat.message(M, "衣服洗过了吊牌也剪了，想跟买家商量扣20块", "zh-hans")
    assert any("扣除¥20.00" in d for d in _drafts(first))
    chat.store.close()
    chat = Conversation(engine, SqliteStore(path))
    platform = next(a for a in _actions(first) if a.startswith("au:") and a.endswith(":platform"))
    note = _drafts(chat.press(M, platform, "zh-hans"))
    assert note and "扣除¥20.00" in note[0] and "修改为¥20.00" not in note[0]


def test_an_amount_typed_in_answer_is_the_new_refund(engine):
    chat = Conversation(engine, MemoryStore())
    first = chat.message(M, "衣服洗过了吊牌也剪了，想部分退款", "zh-hans")
    assert any("【退款金额】" in d for d in _drafts(first))       # asked, placeholder kept meanwhile
    answered = _drafts(chat.message(M, "35", "zh-hans"))
    assert answered and "改为¥35.00" in answered[0]


@pytest.mark.parametrize("description, read", [
    ("退回来的显示器屏幕裂了，不确定是快递摔的还是买家寄之前就坏了", "责任方还不确定"),
    ("买家说衣服开线要退货，我们看照片觉得是人为拉扯的", "你对买家的说法有疑问"),
    ("退货寄到我们以前的旧仓库了", "寄到了店铺的旧地址"),
    ("订单3件只退回来2件，买家漏寄了1件", "买家的疏忽"),
])
def test_what_was_read_is_shown_so_a_misreading_shows(engine, description, read):
    """Every fault the engine can read has words in the reply, and the recommended remedy fits it."""
    chat = Conversation(engine, MemoryStore())
    replies = chat.message(M, description, "zh-hans")
    assert read in replies[0].text and "推荐：" in replies[0].text


def test_a_claims_value_given_in_answer_fills_the_letter_and_survives_a_scenario_change(engine):
    chat = Conversation(engine, MemoryStore())
    chat.message(M, "快递把退回来的花瓶压碎了，顺丰SF1409823356721", "zh-hans")
    case = chat.store.latest_case(M)
    chat.press(M, f"au:{case.case_id}:carrier", "zh-hans")
    while chat.store.latest_case(M).pending not in (None, "value"):
        chat.press(M, f"sk:{case.case_id}", "zh-hans")
    assert chat.store.latest_case(M).pending == "value"
    answered = _drafts(chat.message(M, "299", "zh-hans"))
    assert answered and "¥299.00" in answered[0]
    again = chat.press(M, f"nt:{case.case_id}", "zh-hans")          # "not this case" re-reads the case
    assert again and again[0].buttons


def _store(kind: str, tmp_path):
    return SqliteStore(tmp_path / "negobot.sqlite3") if kind == "sqlite" else MemoryStore()


# `negobot chat` without --db runs on MemoryStore: a merchant must not notice which store it is.
@pytest.mark.parametrize("kind", ["sqlite", "memory"])
def test_a_description_that_fails_half_way_leaves_no_half_case(engine, tmp_path, monkeypatch, kind):
    store = _store(kind, tmp_path)
    chat = Conversation(engine, store)
    chat.set_shop(M, "小鹿家居", "zh-hans")

    def broken(*args, **kwargs):
        raise RuntimeError("the draft failed after the case had its id")
    with monkeypatch.context() as patched:
        patched.setattr(engine, "draft", broken)
        with pytest.raises(RuntimeError):
            chat.message(M, "退回来少了两件", "zh-hans")
    assert store.latest_case(M) is None and store.open_cases(M) == []      # no case without its answer
    assert store.load_profile(M).shop == "小鹿家居"                           # what earlier updates saved stays
    (reply,) = chat.message(M, "退回来少了两件", "zh-hans")                   # sent again: case #1, whole
    assert store.latest_case(M).case_id == 1 and "小鹿家居" in reply.draft
    assert [e.kind for e in store.events(M, 1)] == ["opened"]


@pytest.mark.parametrize("kind", ["sqlite", "memory"])
def test_a_button_that_fails_half_way_leaves_the_case_as_it_was(engine, tmp_path, monkeypatch, kind):
    store = _store(kind, tmp_path)
    chat = Conversation(engine, store)
    (card,) = chat.message(M, "退回来少了两件，说好的退款要扣掉", "zh-hans")
    before = store.load_case(M, 1)
    to_platform = next(a for a in _actions([card]) if a.startswith("au:1:platform"))

    def broken(*args, **kwargs):
        raise RuntimeError("the draft failed after the case was changed")
    with monkeypatch.context() as patched:
        patched.setattr(engine, "draft", broken)
        with pytest.raises(RuntimeError):
            chat.press(M, to_platform, "zh-hans")
    after = store.load_case(M, 1)
    assert after.audience == before.audience == "buyer"         # still on the buyer's draft
    assert [e.kind for e in store.events(M, 1)] == ["opened"]
    (again,) = chat.press(M, to_platform, "zh-hans")           # pressed again: it goes through
    assert store.load_case(M, 1).audience == "platform" and again.draft


@pytest.mark.parametrize("kind", ["sqlite", "memory"])
def test_a_case_changed_but_not_saved_stays_as_it_was_saved(engine, tmp_path, kind):
    store = _store(kind, tmp_path)
    chat = Conversation(engine, store)
    chat.message(M, "退回来少了两件", "zh-hans")
    loaded = store.load_case(M, 1)
    loaded.scenario, loaded.slots["quantity"] = "unknown", 9
    loaded.facts["goods"] = "changed in memory only"
    kept = store.load_case(M, 1)
    assert kept.scenario != "unknown" and kept.slots.get("quantity") != 9 and kept.facts.get("goods") != "changed in memory only"
    assert store.latest_case(M).scenario == kept.scenario
    profile = store.load_profile(M)
    if profile is not None:
        profile.shop = "not saved"
        assert store.load_profile(M).shop != "not saved"
