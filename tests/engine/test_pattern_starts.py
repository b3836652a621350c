"""pattern_starts: what a pattern's matches can start with, and the patterns built on it, must never
lose a match — checked on every regex of facts.yaml against every description the tests hold."""

from __future__ import annotations

import re

import pytest
from cue_corpus import PATTERNS, TEXTS

from bot.engine.pattern_starts import any_of, compile_led, first_chars, without_groups


def test_there_is_something_to_check():
    assert len(PATTERNS) > 100 and len(TEXTS) > 500
    assert sum(1 for p in PATTERNS if first_chars(p)) > len(PATTERNS) // 2


@pytest.mark.parametrize("pattern, expected", [
    ("(没有|没)吊牌", {"没"}), ("吊牌.{0,3}(没了|摘)", {"吊"}), ("(box|packaging) (was )?wet", {"b", "p"}),
    ("(一张)?照片", {"一", "照"}), (r"(?<![0-9])[0-9]+天", set("0123456789")),
    (r"\d+件", set()), ("[^a]b", set()), (".x", set()),
])
def test_first_characters_where_they_are_plain_to_see(pattern, expected):
    assert first_chars(pattern) == frozenset(expected)


def test_every_match_starts_with_a_first_character_found():
    for pattern in PATTERNS:
        firsts = first_chars(pattern)
        if not firsts:
            continue
        compiled = re.compile(pattern)
        for text in TEXTS:
            for match in compiled.finditer(text):
                if match.end() > match.start():
                    assert text[match.start()] in firsts, (pattern, text)


def test_patterns_built_on_them_find_exactly_what_the_pattern_finds():
    for pattern in PATTERNS:
        plain = re.compile(pattern)
        ungrouped = re.compile(without_groups(pattern))
        led = compile_led(first_chars(pattern), pattern, found_only=False)
        for text in TEXTS:
            spans = [m.span() for m in plain.finditer(text)]
            assert [m.span() for m in ungrouped.finditer(text)] == spans, pattern
            assert [m.span() for m in led.finditer(text)] == spans, pattern


def test_one_scan_for_several_patterns_finds_a_text_when_any_of_them_would():
    groups = [PATTERNS[i:i + 7] for i in range(0, len(PATTERNS), 7)]
    for group in groups:
        compiled = [re.compile(p) for p in group]
        together = any_of(compiled)
        for text in TEXTS:
            assert (together.search(text) is not None) == any(p.search(text) for p in compiled), group
