"""Figures for the stance reader on labelled buyer answers: shared by the tests and the benchmark.

Held-out shape (tests/data/stances_heldout.yaml): `cases:` a list of mappings with `text`, `stance`,
`locale` (zh_CN|zh_TW|en) and optionally `amount`, `tracking_number`, `topic`, `done`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.engine.evaluation import expected_calibration_error, folds
from bot.engine.stances import STANCES, StanceReader


@dataclass(frozen=True)
class StanceCase:
    text: str
    stance: str
    locale: str = ""
    amount: float | None = None
    tracking_number: str | None = None
    topic: str | None = None
    done: str | None = None


def load_cases(path: Path | str) -> list[StanceCase]:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    cases = []
    for item in raw.get("cases") or ():
        amount = item.get("amount")
        tracking = item.get("tracking_number")
        cases.append(StanceCase(str(item.get("text") or ""), str(item.get("stance")), str(item.get("locale") or ""),
                                float(amount) if amount is not None else None,
                                str(tracking).replace(" ", "").upper() if tracking else None,
                                item.get("topic"), item.get("done")))
    return cases


def locale_of(text: str) -> str:
    """A guess for training examples, which carry no locale: English, Traditional or Simplified."""
    from bot.engine.normalise import to_simplified
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return "en"
    return "zh_TW" if to_simplified("".join(han)) != "".join(han) else "zh_CN"


@dataclass
class StanceFigures:
    total: int = 0
    right: int = 0
    unsure: int = 0
    sure_right: int = 0
    confident_wrong: int = 0                     # sure but wrong
    per_stance: dict[str, list[int]] = field(default_factory=lambda: {s: [0, 0, 0] for s in STANCES})  # tp, predicted, gold
    per_locale: dict[str, list[int]] = field(default_factory=dict)   # right, total
    slot: dict[str, list[int]] = field(default_factory=lambda: {"amount": [0, 0], "tracking_number": [0, 0],
                                                               "topic": [0, 0], "done": [0, 0]})
    misses: list[tuple[str, str, float, str]] = field(default_factory=list)
    rows: list[tuple[float, bool]] = field(default_factory=list)   # (confidence, right)

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0

    def lines(self, name: str) -> list[str]:
        out = [f"{name}: accuracy {self.accuracy:.1%} of {self.total}; unsure {self.unsure / max(1, self.total):.1%}; "
               f"accuracy among sure {self.sure_right / max(1, self.total - self.unsure):.1%}; "
               f"confident errors (sure but wrong) {self.confident_wrong}"]
        bands = []
        for lo, hi in ((0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01)):
            band = [ok for c, ok in self.rows if lo <= c < hi]
            if band:
                bands.append(f"[{lo:.1f},{min(hi, 1.0):.1f}) {sum(band) / len(band):.0%} right of {len(band)}")
        out.append(f"  calibration: ECE {expected_calibration_error(self.rows):.3f}; " + "; ".join(bands))
        for sid, (tp, predicted, gold) in self.per_stance.items():
            if gold or predicted:
                out.append(f"  {sid:14s} precision {tp / predicted if predicted else 0:.1%}  recall {tp / gold if gold else 0:.1%}  (n={gold})")
        for loc, (right, total) in sorted(self.per_locale.items()):
            out.append(f"  locale {loc:6s} accuracy {right / total:.1%} of {total}")
        for name_, (right, total) in self.slot.items():
            if total:
                out.append(f"  slot {name_:16s} {right}/{total} right ({right / total:.1%})")
        return out


def measure(cases: list[StanceCase], reader: StanceReader) -> StanceFigures:
    fig = StanceFigures(total=len(cases))
    for case in cases:
        reading = reader.read(case.text)
        ok = reading.stance == case.stance
        fig.right += ok
        fig.rows.append((reading.confidence, ok))
        if not reading.sure:
            fig.unsure += 1
        elif ok:
            fig.sure_right += 1
        else:
            fig.confident_wrong += 1
        if reading.stance in fig.per_stance:
            fig.per_stance[reading.stance][1] += 1
        if case.stance in fig.per_stance:
            fig.per_stance[case.stance][2] += 1
            fig.per_stance[case.stance][0] += ok
        locale = case.locale or locale_of(case.text)
        fig.per_locale.setdefault(locale, [0, 0])
        fig.per_locale[locale][0] += ok
        fig.per_locale[locale][1] += 1
        if case.amount is not None:
            fig.slot["amount"][1] += 1
            got = reading.slots.get("amount")
            fig.slot["amount"][0] += got is not None and math.isclose(float(got), case.amount, abs_tol=0.005)
        if case.tracking_number:
            fig.slot["tracking_number"][1] += 1
            fig.slot["tracking_number"][0] += reading.slots.get("tracking_number") == case.tracking_number
        if case.topic:
            fig.slot["topic"][1] += 1
            fig.slot["topic"][0] += reading.topic == case.topic
        if case.done:
            fig.slot["done"][1] += 1
            fig.slot["done"][0] += reading.done == case.done
        if not ok:
            fig.misses.append((case.stance, reading.stance, reading.confidence, case.text))
    return fig


def cross_validation(examples: dict[str, tuple[str, ...]], k: int = 5, catalogue=None, settings=None):
    """(StanceFigures over every held-back example, [(calibration inputs, right)]) for k folds."""
    cases: list[StanceCase] = []
    readers: list[tuple[StanceReader, list[StanceCase]]] = []
    for train, test in folds(examples, k):
        reader = StanceReader(catalogue, settings=settings, examples=train)
        fold_cases = [StanceCase(item.text, item.scenario) for item in test]
        readers.append((reader, fold_cases))
        cases.extend(fold_cases)
    total = StanceFigures()
    calibration_rows = []
    for reader, fold_cases in readers:
        fig = measure(fold_cases, reader)
        _merge(total, fig)
        for case in fold_cases:
            scores = reader.raw_scores(case.text)
            calibration_rows.append((scores.calibration_inputs(), scores.probs[0][0] == case.stance))
    return total, calibration_rows


def _merge(total: StanceFigures, fig: StanceFigures) -> None:
    total.total += fig.total
    total.right += fig.right
    total.unsure += fig.unsure
    total.sure_right += fig.sure_right
    total.confident_wrong += fig.confident_wrong
    for sid, values in fig.per_stance.items():
        total.per_stance[sid] = [a + b for a, b in zip(total.per_stance[sid], values)]
    for loc, values in fig.per_locale.items():
        total.per_locale[loc] = [a + b for a, b in zip(total.per_locale.get(loc, [0, 0]), values)]
    for name, values in fig.slot.items():
        total.slot[name] = [a + b for a, b in zip(total.slot[name], values)]
    total.misses.extend(fig.misses)
    total.rows.extend(fig.rows)


def fit_calibration(rows: list[tuple[tuple[float, ...], bool]], steps: int = 3000, rate: float = 0.5,
                    l2: float = 0.01) -> tuple[float, ...]:
    """Logistic regression of "the reading is right" on the calibration inputs (batch gradient descent)."""
    if not rows:
        return ()
    n = len(rows[0][0])
    w = [0.0] * n
    for _ in range(steps):
        grad = [0.0] * n
        for x, y in rows:
            z = sum(a * b for a, b in zip(w, x))
            p = 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))
            for i in range(n):
                grad[i] += (p - y) * x[i]
        w = [wi - rate * (g / len(rows) + l2 * wi * (i < n - 1)) for i, (wi, g) in enumerate(zip(w, grad))]
    return tuple(round(v, 3) for v in w)
