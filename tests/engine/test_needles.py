"""needles: what a text must hold for a cue to match it. A needle that is not really needed would make
the fact extractor miss a cue it used to find, so every regex of facts.yaml is checked against every
description the tests hold and against texts generated to match it, and the extractor's facts are
compared with and without the shortcut."""

from __future__ import annotations

import re

import pytest
from cue_corpus import PATTERNS, TEXTS
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine.facts import FactExtractor, text_index
from bot.engine.needles import needles

WITH_NEEDLES = [(p, needles(p)) for p in PATTERNS if needles(p) is not None]


def test_most_cues_can_be_ruled_out_without_a_regex_scan():
    assert len(WITH_NEEDLES) > 0.8 * len(PATTERNS)


@pytest.mark.parametrize("pattern, text", [
    ("(一张)?照片都没", "照片都没发"),              # an optional part is not needed
    ("(?<!没)收到了", "收到了"),                     # nor what a lookbehind looks at
    ("(买家|客人)(承认|自己承认)", "客人自己承认了"),   # each branch has its own
    ("退款[^，。]{0,6}到账", "退款今天到账"),          # nor a class of any character but a few
    ("(已经|已)?退(款|钱)了", "退钱了"),
    ("[0-9]{2,}天没更新", "12天没更新"),
])
def test_a_text_that_matches_holds_a_needle(pattern, text):
    assert re.search(pattern, text)
    assert needles(pattern).may_be_in(*text_index(text))


@pytest.mark.parametrize("pattern, text", [
    ("(买家|客人)(承认|自己承认)", "顾客说没收到"), ("forgot to (include|pack)", "she kept it"),
])
def test_a_text_without_any_is_ruled_out(pattern, text):
    assert not needles(pattern).may_be_in(*text_index(text))


@pytest.mark.parametrize("pattern", ["(?i)abc", "[^a]", r"\d+", ".{2}", "(a|)", "x*", "(?=abc)"])
def test_no_needles_where_they_cannot_be_read_plainly(pattern):
    assert needles(pattern) is None


def test_no_cue_is_ruled_out_in_a_description_it_matches():
    for pattern, found in WITH_NEEDLES:
        compiled = re.compile(pattern)
        for text in TEXTS:
            if compiled.search(text):
                assert found.may_be_in(*text_index(text)), (pattern, text)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_no_cue_is_ruled_out_in_a_text_made_to_match_it(data):
    pattern, found = data.draw(st.sampled_from(WITH_NEEDLES))
    text = data.draw(st.from_regex(pattern, fullmatch=False))
    if re.search(pattern, text):                 # (from_regex may pad around a lookaround)
        assert found.may_be_in(*text_index(text)), (pattern, text)


def test_the_extractor_reads_the_same_facts_with_the_shortcut_as_without():
    shortcut, scanning = FactExtractor(), FactExtractor()
    scanning._needles.clear()                    # every cue scanned, as before needles
    for text in TEXTS:
        assert shortcut.extract(text) == scanning.extract(text), text
