"""Reply objects → WeCom text messages: byte limits, line boundaries, drafts alone, numbered choices."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from bot.conversation.choices import actions_in_order, pick
from bot.conversation.model import Button, Reply
from bot.wecom.render import MAX_BYTES, render, size, split


def test_chinese_is_measured_in_bytes_and_cut_at_line_ends():
    line = "退" * 100                      # 300 bytes, 100 characters
    text = "\n".join([line] * 20)          # 6 019 bytes; six lines fit in 2 048 bytes, seven do not
    pieces = split(text)
    assert [p.count("\n") + 1 for p in pieces] == [6, 6, 6, 2] and all(size(p) <= MAX_BYTES for p in pieces)
    assert all(set(p.split("\n")) == {line} for p in pieces)             # whole lines only
    assert "\n".join(pieces) == text


def test_a_line_longer_than_a_message_is_cut_between_characters():
    text = "货" * 1000 + "x"               # 3 001 bytes on one line
    pieces = split(text)
    assert [size(p) for p in pieces] == [2046, 955] and "".join(pieces) == text


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(["退", "a", "\n", " ", "😀", "號"]), min_size=1, max_size=3000))
def test_any_text_fits_and_keeps_its_words(text):
    pieces = split(text)
    assert all(size(p) <= MAX_BYTES for p in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "") or not text.strip()


def test_a_draft_is_a_message_of_its_own_and_choices_are_numbered_across_replies():
    replies = [
        Reply(title="退货物流单号有误", text="平台操作：协商"),
        Reply(title="给买家的消息", text="请核实单号", draft="亲，您好～\n单号SF1409823356721查不到",
              buttons=[[Button("复制话术", copy_text="亲，您好～")], [Button("协商描述", action="au:1:platform")],
                       [Button("语气：正式", action="tn:1:formal"), Button("English", action="dl:1:en")]]),
        Reply(text="这份话术还缺少件数。", buttons=[[Button("跳过", action="sk:1")]]),
    ]
    messages = render(replies, "zh_CN")
    assert messages[0] == "【退货物流单号有误】\n平台操作：协商\n\n【给买家的消息】\n请核实单号"
    assert messages[1] == "亲，您好～\n单号SF1409823356721查不到"          # exactly the draft: long-press copies it
    assert messages[2].splitlines()[1:4] == ["[1] 协商描述", "[2] 语气：正式", "[3] English"]
    assert messages[2].splitlines()[0].startswith("回复 #")                # a question is open: #N picks
    assert messages[2].endswith("这份话术还缺少件数。\n\n[4] 跳过")
    assert "复制话术" not in "".join(messages)
    actions = actions_in_order(replies)
    assert pick("3", actions, answering=False) == "dl:1:en" and pick("#4", actions, answering=True) == "sk:1"
    assert pick("3", actions, answering=True) is None          # a bare number answers the question
    assert pick("9", actions, answering=False) is None and pick("3件", actions, answering=False) is None
    assert pick("３", actions, answering=False) == "dl:1:en" and pick("＃４", actions, answering=True) == "sk:1"


@pytest.mark.parametrize("locale, hint", [("zh_CN", "回复编号选择："), ("zh_TW", "回覆編號選擇："), ("en", "Reply with a number to choose:")])
def test_the_hint_is_in_the_merchants_language(locale, hint):
    (message,) = render([Reply(text="?", buttons=[[Button("A", action="ls")]])], locale)
    assert message == f"?\n\n{hint}\n[1] A"


def test_a_draft_over_the_limit_is_announced_and_sent_in_whole_lines():
    draft = "\n".join(f"第{i}行：" + "请核对退货单号" * 20 for i in range(20))      # ≈ 8 700 bytes
    messages = render([Reply(title="给快递的索赔函", text="说明", draft=draft)], "zh_CN")
    assert "分 4 条消息发出" in messages[0] or "条消息发出" in messages[0]
    parts = messages[1:]
    assert "\n".join(parts) == draft and all(size(p) <= MAX_BYTES for p in parts)


def test_the_one_message_answer_keeps_its_draft_alone_and_asks_last():
    reply = Reply(title="少件", text="平台操作：协商", draft="亲，您好～少了【件数】件", footer="❓ 还缺件数，直接回复数字",
                  buttons=[[Button("复制", copy_text="亲")], [Button("跳过", action="sk:1")], [Button("语气", action="tn:1:formal")]])
    messages = render([reply], "zh_CN")
    assert messages[0] == "【少件】\n平台操作：协商"
    assert messages[1] == "亲，您好～少了【件数】件"                               # the draft alone, to copy
    assert messages[2].endswith("[1] 跳过\n[2] 语气\n\n❓ 还缺件数，直接回复数字") and "#1" in messages[2]
