"""The truth check: tricky descriptions, written apart from the templates and the fact rules
(tests/data/truth_cases.yaml), with what the drafts must not claim and must mention.

Every draft of every fitting remedy, in the case's pack and both tones, is read sentence by sentence:
no invented verification, date, evidence, fault, admission or early refund; the item and the
merchant's figures named; no remedy the description rules out.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from bot.engine.drafts import MerchantSettings
from bot.engine.packs import load_pack

TODAY = dt.date(2026, 11, 28)
CASES = yaml.safe_load((Path(__file__).parent.parent / "data" / "truth_cases.yaml").read_text(encoding="utf-8"))["cases"]
_SENTENCE_END = re.compile(r"[。！？!?\n；;]|(?<=[a-z)\]])\.\s")
_LETTER_DATE = re.compile(r"\s*(\d{4}年\d{1,2}月\d{1,2}日|[A-Z][a-z]+ \d{1,2}, \d{4})\s*")   # a letter's own date line


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip() and not _LETTER_DATE.fullmatch(s)]


def _case_id(case: dict) -> str:
    return f"{case['lang']}:{case['text'][:24]}"


@pytest.fixture(scope="module")
def drafted(engine):
    """(case index, tone) → (remedies offered, drafts) for the case's expected scenario."""
    out = {}
    for index, case in enumerate(CASES):
        analysis = engine.analyse(case["text"])
        pack = load_pack(case["lang"])
        for tone in ("warm", "formal"):
            settings = MerchantSettings(shop="小鹿家居", tone=tone)
            options = engine.remedy_options(case["scenario"], analysis.facts)
            drafts = engine.drafts(case["scenario"], analysis.slots, pack, settings, TODAY, analysis.amount_kind,
                                   analysis.facts)
            out[index, tone] = ([o.remedy for o in options], drafts)
    return out


@pytest.mark.parametrize("tone", ["warm", "formal"])
@pytest.mark.parametrize("index", range(len(CASES)), ids=[_case_id(c) for c in CASES])
def test_no_draft_claims_more_than_the_merchant_said(drafted, index, tone):
    case = CASES[index]
    offered, drafts = drafted[index, tone]
    assert offered, f"no remedy offered for {case['text']}"
    forbidden = [r for r in case.get("must_not_remedies", []) if r in offered]
    assert not forbidden, f"{case['text']}: offers {forbidden}, which the description rules out ({case.get('why')})"
    for group in case.get("must_offer_any", []):
        assert set(group) & set(offered), f"{case['text']}: offers {offered}, none of {group}"
    patterns = [re.compile(p) for p in case.get("must_not_claim", [])]
    for draft in drafts:
        for sentence in _sentences(draft.text):
            for pattern in patterns:
                assert not pattern.search(sentence), (
                    f"{case['text']}\n[{draft.remedy} → {draft.audience}, {tone}] claims more than was said: "
                    f"{sentence!r} (matches {pattern.pattern!r})")


@pytest.mark.parametrize("index", range(len(CASES)), ids=[_case_id(c) for c in CASES])
def test_drafts_name_the_item_and_the_merchants_figures(drafted, index):
    case = CASES[index]
    _offered, drafts = drafted[index, "warm"]
    for draft in drafts:
        for word in case.get("must_mention", []):
            assert word.lower() in draft.text.lower(), \
                f"{case['text']}\n[{draft.remedy} → {draft.audience}] does not say {word!r}:\n{draft.text}"
    buyer = [d for d in drafts if d.audience == "buyer"]
    for draft in buyer[:1]:            # the recommended remedy's message to the buyer
        for group in case.get("must_mention_any", []):
            assert any(w.lower() in draft.text.lower() for w in group), \
                f"{case['text']}\n[{draft.remedy} → buyer] mentions none of {group}:\n{draft.text}"


def test_the_truth_cases_are_mostly_recognised(engine, figures):
    """The classifier on these descriptions (never trained on): reported, with a floor."""
    right = sum(engine.analyse(c["text"]).scenario in {c["scenario"], *c.get("accept_scenarios", [])} for c in CASES)
    figures["truth cases: scenario recognised"] = f"{right}/{len(CASES)}"
    assert right >= 0.8 * len(CASES)
