"""Figures for the scenario classifier on labelled descriptions: shared by the tests and the benchmarks.

Two held-out shapes are read: `tests/data/heldout.yaml` (scenario id -> list of texts) and
`tests/data/heldout_realistic.yaml` (`items: [{text, scenario, also?, lang, style}]`, where `also`
lists further scenarios a multi-problem text describes).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.engine.catalogue import UNKNOWN

# Confidence bands for the expected calibration error; the first ends at the bot's "ask" threshold.
ECE_BANDS = ((0.0, 0.45), (0.45, 0.7), (0.7, 0.9), (0.9, 1.01))
CONFIDENT = 0.8


@dataclass(frozen=True)
class Labelled:
    text: str
    scenario: str
    also: tuple[str, ...] = ()
    lang: str = ""
    style: str = ""


def folds(examples: dict[str, tuple[str, ...]], k: int = 5, seed: int = 7):
    """(training examples, held-back Labelled items) for each of k folds, stratified by scenario, fixed seed."""
    rng = random.Random(seed)
    assignment = {sid: [i % k for i in range(len(texts))] for sid, texts in examples.items()}
    for values in assignment.values():
        rng.shuffle(values)
    for fold in range(k):
        train = {sid: tuple(t for t, f in zip(texts, assignment[sid]) if f != fold) for sid, texts in examples.items()}
        test = [Labelled(t, sid) for sid, texts in examples.items() for t, f in zip(texts, assignment[sid]) if f == fold]
        yield train, test


def load_labelled(path: Path | str) -> list[Labelled]:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if isinstance(raw, dict) and "items" in raw:
        return [Labelled(str(item["text"]), str(item["scenario"]), tuple(item.get("also") or ()),
                         str(item.get("lang") or ""), str(item.get("style") or ""))
                for item in raw["items"]]
    return [Labelled(str(text), sid) for sid, texts in raw.items() for text in texts or ()]


@dataclass
class Figures:
    total: int = 0
    top1: float = 0.0
    top3: float = 0.0
    ece: float = 0.0
    wrong: int = 0
    confident_wrong: int = 0          # wrong answers with confidence >= CONFIDENT
    unknown_total: int = 0
    unknown_forced: int = 0           # out-of-scope texts given a case with confidence >= the ask threshold
    asked: int = 0                    # answers below the ask threshold (the bot asks "which case is it?")
    top1_any: float = 0.0             # the answer is one of the labelled problems (main or `also`)
    wrong_any: int = 0                # answers that are none of the labelled problems
    confident_wrong_any: int = 0      # ... given with confidence >= CONFIDENT
    also_total: int = 0               # texts labelled with further scenarios
    also_found: int = 0               # ... whose labelled problems all appear in the answer or its `also`
    also_spurious: int = 0            # single-problem texts given an `also`
    misses: list[tuple[str, str, float, str]] = field(default_factory=list)

    @property
    def confident_error_share(self) -> float:
        return self.confident_wrong / self.wrong if self.wrong else 0.0

    @property
    def confident_error_share_any(self) -> float:
        return self.confident_wrong_any / self.wrong_any if self.wrong_any else 0.0

    def lines(self, name: str) -> list[str]:
        return [
            f"{name}: top-1 {self.top1:.1%}, top-3 {self.top3:.1%} of {self.total}; ECE {self.ece:.3f}; "
            f"confident errors (>= {CONFIDENT}) {self.confident_wrong} of {self.wrong} wrong "
            f"({self.confident_error_share:.0%}); out-of-scope forced into a case {self.unknown_forced} of {self.unknown_total}",
        ]


def measure(items: list[Labelled], predict, ask_below: float = 0.45) -> Figures:
    """`predict(text)` returns a Prediction-like object (scenario, confidence, alternatives, also)."""
    fig = Figures(total=len(items))
    if not items:
        return fig
    right = top3 = right_any = 0
    rows = []
    for item in items:
        p = predict(item.text)
        ok = p.scenario == item.scenario
        right += ok
        top3 += ok or item.scenario in [s for s, _ in p.alternatives[:2]]
        rows.append((p.confidence, ok))
        if not ok:
            fig.wrong += 1
            fig.confident_wrong += p.confidence >= CONFIDENT
            fig.misses.append((item.scenario, p.scenario, p.confidence, item.text))
        named = {p.scenario, *(getattr(p, "also", ()) or ())}
        if p.scenario in {item.scenario, *item.also}:
            right_any += 1
        else:
            fig.wrong_any += 1
            fig.confident_wrong_any += p.confidence >= CONFIDENT
        if p.confidence < ask_below:
            fig.asked += 1
        if item.scenario == UNKNOWN:
            fig.unknown_total += 1
            fig.unknown_forced += p.scenario != UNKNOWN and p.confidence >= ask_below
        found = set(getattr(p, "also", ()) or ())
        if item.also:
            fig.also_total += 1
            fig.also_found += {item.scenario, *item.also} <= named
        elif found:
            fig.also_spurious += 1
    fig.top1 = right / len(items)
    fig.top3 = top3 / len(items)
    fig.top1_any = right_any / len(items)
    fig.ece = expected_calibration_error(rows)
    return fig


def expected_calibration_error(rows: list[tuple[float, bool]]) -> float:
    ece = 0.0
    for lo, hi in ECE_BANDS:
        band = [(c, ok) for c, ok in rows if lo <= c < hi]
        if band:
            mean_conf = sum(c for c, _ in band) / len(band)
            acc = sum(ok for _, ok in band) / len(band)
            ece += len(band) / len(rows) * abs(mean_conf - acc)
    return ece
