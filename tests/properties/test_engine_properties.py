"""Hardening: the engine on any Unicode text up to 100 000 characters (Hypothesis plus explicit adversarial inputs).

classify (Engine.analyse) and the drafts of the predicted scenario in every shipped pack never raise,
return a valid scenario and a confidence in [0, 1], never leave template syntax or 'None' in a draft, and
every slot found comes from the text: codes are substrings of the NFKC-normalised input (modulo spacing
and case), numbers are plain positive numbers whose digits appear where they were written in digits.
Time bounds are measured by benchmarks/worst_case_classify.py, not asserted here.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine.catalogue import LOCALES, SCENARIO_IDS, UNKNOWN
from bot.engine.drafts import default_engine
from bot.engine.normalise import clean
from bot.engine.numerals import NUMERAL_CHARS
from bot.engine.packs import load_pack

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("worst_case_classify", ROOT / "benchmarks" / "worst_case_classify.py")
worst_case = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(worst_case)

ENGINE = default_engine()
PACKS = {locale: load_pack(locale) for locale in LOCALES}
_SEPARATORS = re.compile(r"[\s\-]+")
_ENGLISH_NUMBER = re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a|an|single|both)\b", re.I)

FRAGMENTS = [
    "买家退货单号填错了", "退貨單號查不到", "寄错地址", "快递把退货压坏了", "少了两双", "买了4件只退回1件", "吊牌剪了",
    "质量问题", "物流停滞", "取消寄件", "退款改成66.00元", "扣¥9.9", "赔1,234.5元", "顺丰", "中通", "极兔", "德邦物流",
    "SF1409823356721", "sf 2234 5678 9012 3", "JT0012345678901", "YT1234567890123", "JDAB12345678901", "7312345678901",
    "订单号3719912345678901234", "13800138000", "only 1 of the 3", "missing two", "refund ¥20", "tracking number",
    "{{", "{%", "}}", "None", "元", "块", "\u200b", "\ufeff", "ｓｆ１２３", "１２３４元", "²", "½", "Ⅻ", "١٢٣", " ", "\n", "-", "\ud800", "\udfff",
]

descriptions = st.one_of(
    st.text(max_size=3000),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=60).map("".join),
    st.builds(lambda a, n: a * n, st.sampled_from(FRAGMENTS), st.integers(min_value=1, max_value=4000)),
)


def _folded(text: str) -> str:
    return _SEPARATORS.sub("", clean(text).upper())


def check(text: str) -> None:
    analysis = ENGINE.analyse(text)
    prediction = analysis.prediction
    assert prediction.scenario in SCENARIO_IDS
    assert 0.0 <= prediction.confidence <= 1.0
    for scenario, confidence in prediction.alternatives:
        assert scenario in SCENARIO_IDS and 0.0 <= confidence <= 1.0
    slots = analysis.slots
    assert set(slots) <= {"tracking_number", "carrier", "amount", "quantity", "order_id"}
    folded = _folded(text)
    for key in ("tracking_number", "order_id"):
        if key in slots:
            value = slots[key]
            assert isinstance(value, str) and value and value == value.upper()
            assert _SEPARATORS.sub("", value) in folded, (key, value)
    if "carrier" in slots:
        assert slots["carrier"] in ENGINE.catalogue.carriers
    nfkc = clean(text).replace(",", "")   # NFKC, invisible characters dropped, spacing collapsed
    if "amount" in slots:
        amount = slots["amount"]
        assert isinstance(amount, float) and 0 < amount <= 1_000_000
        if not any(ch in NUMERAL_CHARS for ch in text + ENGINE_SIMPLIFIED(text)):
            assert str(int(amount)) in nfkc, amount
    if "quantity" in slots:
        quantity = slots["quantity"]
        assert isinstance(quantity, int) and 0 < quantity < 10_000
        if not any(ch in NUMERAL_CHARS for ch in text + ENGINE_SIMPLIFIED(text)) and not _ENGLISH_NUMBER.search(nfkc):
            assert re.search(r"\d", nfkc)
    if prediction.scenario == UNKNOWN:
        return
    for pack in PACKS.values():
        for draft in ENGINE.drafts(prediction.scenario, slots, pack):
            assert draft.text.strip()
            for bad in ("{{", "{%", "None", "\ue000", "\ue001"):
                assert bad not in draft.text, (pack.locale, draft.remedy, draft.audience, bad)


def ENGINE_SIMPLIFIED(text: str) -> str:  # noqa: N802 - reads like the constant it wraps
    from bot.engine.normalise import to_simplified

    return to_simplified(clean(text))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(descriptions)
def test_any_text_classifies_and_drafts_cleanly(text):
    check(text)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.builds(lambda a, n: (a * n)[:100_000], st.text(min_size=1, max_size=300), st.integers(min_value=100, max_value=100_000))
       | st.builds(lambda a, n: (a * n)[:100_000], st.sampled_from(FRAGMENTS), st.integers(min_value=5_000, max_value=100_000)))
def test_long_text_up_to_100k(text):
    check(text)


ADVERSARIAL = worst_case.adversarial_inputs()


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_inputs_at_100k(name):
    text = ADVERSARIAL[name]
    assert len(text) <= 100_000
    check(text)


@pytest.mark.parametrize("text", ["SF1409823356721", "退款改成66.00元", "买了4件只退回1件", "订单号3719912345678901234，少了两双"])
def test_known_slots_survive(text):
    check(text)
    assert ENGINE.analyse(text).slots
