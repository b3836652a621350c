"""Scenario classifier: character n-gram naive Bayes over the catalogue's examples, plus keyword rules.

The model is trained when the classifier is built (a few hundred short examples: milliseconds), so
the YAML stays the single source. Scores are length-normalised log-likelihoods, combined with
keyword evidence, and turned into a confidence by a softmax whose temperature was fitted by
cross-validation on the training examples (see benchmarks/tune_classifier.py).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from bot.engine.catalogue import SCENARIO_IDS, UNKNOWN, Catalogue
from bot.engine.normalise import normalise

# Classification looks at the start of a description; a case is told in a sentence or two.
MAX_CLASSIFIED_CHARS = 1000


@dataclass(frozen=True)
class ClassifierSettings:
    alpha: float = 0.1               # additive smoothing
    temperature: float = 4.0         # softmax sharpness over per-feature log-likelihood
    keyword_weight: float = 3.0      # weight of one keyword point, in the same space
    min_confidence: float = 0.45     # below this the top scenario is only a suggestion
    min_known_features: float = 0.25 # share of n-grams seen in training; less → out of scope


@dataclass(frozen=True)
class Prediction:
    scenario: str
    confidence: float
    alternatives: tuple[tuple[str, float], ...]   # the next ones, best first


_LATIN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_CODE = re.compile(r"[a-z]*\d[a-z0-9]*")
_SEPARATOR = re.compile(r"[\s\W_]+")
_EN_STOP = frozenset("a an the i my me we our us you your he she they it is was are were be been to of in on at for and or but so that this with have has had do did not".split())


def features(text: str) -> list[str]:
    """Character 1–3-grams of Chinese runs; words, word pairs and 4-grams of latin words."""
    return _features(normalise(text[:MAX_CLASSIFIED_CHARS]))


def _features(normalised: str) -> list[str]:
    text = _CODE.sub(" 0 ", normalised)
    out: list[str] = []
    words: list[str] = []
    for segment in _SEPARATOR.split(text):
        if not segment:
            continue
        latin_at = 0
        for match in _LATIN_WORD.finditer(segment):
            _han_ngrams(segment[latin_at : match.start()], out)
            latin_at = match.end()
            words.append(match.group())
        _han_ngrams(segment[latin_at:], out)
    content = [w for w in words if w not in _EN_STOP]
    for word in content:
        out.append("w:" + word)
        padded = f"<{word}>"
        out.extend("c:" + padded[i : i + 4] for i in range(max(1, len(padded) - 3)))
    out.extend(f"b:{a}_{b}" for a, b in zip(content, content[1:]))
    return out


def _keyword_matcher(keywords: dict[str, dict[str, float]]) -> tuple[re.Pattern[str] | None, dict[str, tuple[str, float]]]:
    """One alternation, longest keyword first: a keyword inside a longer matched one does not count,
    so "没有质量问题" (resale) is not also read as "质量问题" (quality), nor "未签收" as "签收"."""
    owner = {kw: (sid, weight) for sid, table in keywords.items() for kw, weight in table.items() if kw}
    if not owner:
        return None, owner
    ordered = sorted(owner, key=lambda kw: (-len(kw), kw))
    return re.compile("|".join(re.escape(kw) for kw in ordered)), owner


def _han_ngrams(run: str, out: list[str]) -> None:
    run = run.replace("0", "")
    for n in (1, 2, 3):
        out.extend(run[i : i + n] for i in range(len(run) - n + 1))


class ScenarioClassifier:
    def __init__(self, catalogue: Catalogue, settings: ClassifierSettings | None = None,
                 examples: dict[str, tuple[str, ...]] | None = None):
        self.settings = settings or ClassifierSettings()
        self._keyword_re, self._keyword_owner = _keyword_matcher(catalogue.keywords)
        examples = examples if examples is not None else catalogue.examples
        self._labels = [sid for sid in SCENARIO_IDS if examples.get(sid)]
        counts: dict[str, Counter[str]] = {sid: Counter() for sid in self._labels}
        for sid in self._labels:
            for text in examples[sid]:
                counts[sid].update(set(features(text)))
        vocabulary = set().union(*counts.values()) if counts else set()
        self._vocabulary = frozenset(vocabulary)
        size = len(vocabulary) + 1
        alpha = self.settings.alpha
        self._log_prob: dict[str, dict[str, float]] = {}
        self._log_unseen: dict[str, float] = {}
        for sid in self._labels:
            total = sum(counts[sid].values()) + alpha * size
            self._log_prob[sid] = {f: math.log((c + alpha) / total) for f, c in counts[sid].items()}
            self._log_unseen[sid] = math.log(alpha / total)

    @property
    def labels(self) -> list[str]:
        return list(self._labels)

    def scores(self, text: str) -> dict[str, float]:
        """Combined evidence per scenario, before the softmax."""
        normalised = normalise(text[:MAX_CLASSIFIED_CHARS])
        return self._scores(normalised, list(dict.fromkeys(_features(normalised))))

    def _scores(self, normalised: str, feats: list[str]) -> dict[str, float]:
        known = [f for f in feats if f in self._vocabulary]
        points: dict[str, float] = {}
        if self._keyword_re is not None:
            for match in self._keyword_re.finditer(normalised):
                sid, weight = self._keyword_owner[match.group()]
                points[sid] = points.get(sid, 0.0) + weight
        result: dict[str, float] = {}
        settings = self.settings
        for sid in self._labels:
            table, unseen = self._log_prob[sid], self._log_unseen[sid]
            loglik = sum(table.get(f, unseen) for f in known) / len(known) if known else 0.0
            result[sid] = settings.temperature * loglik + settings.keyword_weight * points.get(sid, 0.0)
        return result

    def predict(self, text: str) -> Prediction:
        normalised = normalise(text[:MAX_CLASSIFIED_CHARS])
        feats = list(dict.fromkeys(_features(normalised)))
        known_share = (sum(f in self._vocabulary for f in feats) / len(feats)) if feats else 0.0
        scores = self._scores(normalised, feats)
        top = max(scores.values())
        exp = {sid: math.exp(s - top) for sid, s in scores.items()}
        total = sum(exp.values())
        probs = sorted(((sid, e / total) for sid, e in exp.items()), key=lambda p: (-p[1], SCENARIO_IDS.index(p[0])))
        if not feats or known_share < self.settings.min_known_features:
            rest = [(sid, p) for sid, p in probs if sid != UNKNOWN][:3]
            return Prediction(UNKNOWN, round(max(0.5, 1.0 - sum(p for _, p in rest)), 4), tuple((s, round(p, 4)) for s, p in rest))
        best, confidence = probs[0]
        alternatives = tuple((sid, round(p, 4)) for sid, p in probs[1:4])
        return Prediction(best, round(confidence, 4), alternatives)
