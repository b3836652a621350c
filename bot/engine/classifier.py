"""Scenario classifier: naive Bayes plus an averaged passive-aggressive linear model over character
n-grams and keyword cues, both trained from the catalogue's examples when the classifier is built.

The YAML stays the single source: the models are trained at start-up (≈0.26 s for ~1 500 examples,
pure Python). Naive Bayes (length-normalised log-likelihood plus weighted keyword rules) copes with
short, clipped descriptions; the linear model learns which n-grams tell close cases apart in long,
chatty ones. Their mixed scores go through a softmax, and the top probability is then *calibrated*:
a logistic map over that probability, the share of the text's n-grams seen in training and whether
the two models agree, fitted on the training examples with whole example files left out
(benchmarks/tune_classifier.py) — so text far from what negobot was trained on gets a lower
confidence and the bot asks instead of drafting. `unknown` is a trained class with cues of its own
(and a text with too little in-domain content is `unknown` outright).

A description may tell several problems ("少了一件，而且外包装也压坏了"): each clause is read on its
own, and scenarios that a clause states (its own best reading, with a keyword cue) besides the main
one come back in `Prediction.also`.
"""

from __future__ import annotations

import math
import operator
import random
import re
from array import array
from collections import Counter
from dataclasses import dataclass

from bot.engine.catalogue import SCENARIO_IDS, UNKNOWN, Catalogue
from bot.engine.normalise import normalise
from bot.engine.pattern_starts import any_of

# Classification looks at the start of a description; a case is told in a few sentences.
MAX_CLASSIFIED_CHARS = 1000
# Keyword points at which a problem's cues count as fully stated (a decisive cue is 2.5–3).
CUE_CAP = 5.0
DECISIVE_POINTS = 2.5
DEADLINE_ONLY = "return_in_transit_deadline"
DEADLINE_SECONDARY_TO = frozenset({"tracking_number_invalid", "wrong_return_address", "received_not_inspected",
                                   "shipment_cancelled", "carrier_tracking_stalled"})


@dataclass(frozen=True)
class ClassifierSettings:
    alpha: float = 0.1               # naive Bayes: additive smoothing
    temperature: float = 4.0         # naive Bayes: sharpness over per-feature log-likelihood
    keyword_weight: float = 3.0      # naive Bayes: weight of one keyword point, in the same space
    linear_epochs: int = 3           # passes of the passive-aggressive learner over the examples
    linear_step: float = 0.1         # its largest step (the "C" of PA-I)
    linear_scale: float = 6.0        # linear margins -> log-odds
    mix: float = 0.6                 # share of the linear model in the combined score
    min_confidence: float = 0.45     # below this the top scenario is only a suggestion: the bot asks
    min_known_features: float = 0.25 # share of n-grams seen in training; less → out of scope
    # Calibration, fitted by cross-validation (benchmarks/tune_classifier.py): confidence =
    # sigmoid(w · inputs), inputs as in calibration_inputs(): logit of the top probability, share of
    # n-grams seen in training, the same for the longer n-grams, cue strength of a return problem
    # when the answer is `unknown`, cue strength of a rival problem, 1.
    calibration: tuple[float, ...] = (0.663, 2.512, 0.0, 0.0, 0.0, -0.766, -0.74)
    outgoing_weight: float = 4.0     # added to `unknown` when the text only speaks of goods going out
    also_min_points: float = 1.0     # a further problem: keyword points for it in its clause,
    also_min_probability: float = 0.8  # ... the clause's own reading of it,
    also_among: int = 3              # ... and its rank in the whole text's readings
    several_max_confidence: float = 0.75  # the most confidence an answer gets when the text states several problems
    seed: int = 7


@dataclass(frozen=True)
class Prediction:
    scenario: str
    confidence: float
    alternatives: tuple[tuple[str, float], ...]   # the next ones, best first
    also: tuple[str, ...] = ()                    # further problems the description states


@dataclass(slots=True)     # not frozen: made on every prediction, and a frozen one's __init__ is slower
class _Reading:
    """What predict() works from, before calibration (benchmarks/tune_classifier.py fits on it)."""
    probs: tuple[tuple[str, float], ...]          # best first
    known_share: float                            # share of the text's n-grams seen in training
    long_share: float                             # the same for 3-character n-grams and word pairs
    n_features: int
    points: dict[str, float]                      # keyword points per scenario
    agree: bool                                   # naive Bayes and the linear model have the same best
    bayes_best: str

    def calibration_inputs(self) -> tuple[float, ...]:
        best = self.probs[0][0]
        p = min(max(self.probs[0][1], 1e-6), 1 - 1e-6)
        cues = [v for sid, v in self.points.items() if sid not in (best, UNKNOWN)]
        strongest_other = min(max(cues, default=0.0), CUE_CAP) / CUE_CAP
        return (
            math.log(p / (1 - p)),
            self.known_share,
            self.long_share,
            strongest_other if best == UNKNOWN else 0.0,   # "not a return problem", yet cues of one
            strongest_other if best != UNKNOWN else 0.0,   # cues of another problem than the answer
            0.0 if self.agree else 1.0,                    # the two models disagree
            1.0,
        )


_CODE = re.compile(r"[a-z]*\d[a-z0-9]*")
_DIGIT = re.compile(r"\d")     # what a _CODE needs: most texts have none (a fast scan; the sub tries every position)
# What n-grams are cut from: latin words, and runs of the other word characters (Chinese).
# Punctuation, spaces and "_" separate them; after _CODE, the only digits left are its "0"s, which
# are dropped. (The apostrophe is a separator too, so "didn't" is "didn" and "t".)
_LATIN_WORD = re.compile(r"[a-z]+")
_HAN_RUN = re.compile(r"[^\W\d_a-z]+")
_EN_STOP = frozenset("a an the i my me we our us you your he she they it is was are were be been to of in on at for and or but so that this with have has had do did not".split())
# Where one problem ends and the next may begin.
_CLAUSE = re.compile(r"[，,。.；;！!？?\n]+|而且|并且|另外|还有|同时|此外|加上|\balso\b|\bplus\b|\bon top of that\b")
# Where one sentence ends.
_SENTENCE = re.compile(r"[。.！!？?\n]+")
# Problems that cannot both be the case: the quality case already means "used AND defective".
# (A near deadline goes with anything, so it is no exclusion.)
_EXCLUSIVE = frozenset(frozenset(p) for p in [
    ("resale_affected", "quality_issue_return"),
])

# Which way the parcel goes: every scenario is about goods coming back to the shop; a message that
# only speaks of the shop's own shipment to the buyer is something else. Two synthetic features.
_COMING_BACK = re.compile(r"退|寄回|寄返|返还|售后|\b(?:return|returned|returns|returning|refund|rts)\b|sent (?:it )?back|send (?:it )?back|came back|coming back|mailed (?:it )?back")
# ("I shipped it" is left out: in a pasted buyer message the "I" is the buyer sending the return.)
_GOING_OUT = re.compile(r"发货|发出去的|发出的货|发给(?:客人|买家|客户|顾客|用户)|寄给(?:客人|买家|客户|顾客|用户)|给(?:客人|买家|客户|顾客)(?:发|寄)|出货|\bshipped (?:to (?:the |a |my )?(?:buyer|customer)|an order)\b|\boutbound\b|\boutgoing\b")
# Only whether they are found is read: led by their first characters (pattern_starts), the regex
# engine's fast scan passes over the other positions.
_COMING_BACK_FOUND, _GOING_OUT_FOUND = any_of([_COMING_BACK]), any_of([_GOING_OUT])


# Words of asking ("怎么", "吗", "how", "what", "can"): they tell the form of a message, not the
# problem — merchants ask about their returns as often as out-of-scope questions — so the linear
# model does not learn from them (naive Bayes still sees them).
_ASKING = frozenset("怎 么 怎么 吗 呢 吧 啊 w:what w:how c:<how c:how> c:<wha c:what c:hat> w:can c:<can c:can>".split())


def features(text: str) -> list[str]:
    """Character 1–3-grams of Chinese runs; words, word pairs and 4-grams of latin words."""
    return _features(normalise(text[:MAX_CLASSIFIED_CHARS]))


def _features(normalised: str) -> list[str]:
    return _features_and_long(normalised)[0]


def _features_and_long(normalised: str) -> tuple[list[str], list[str]]:
    """The features, and those of them that are "long" (_is_long) — repeats kept in both."""
    out: list[str] = []
    long: list[str] = []
    add = operator.add
    text = _CODE.sub(" 0 ", normalised) if _DIGIT.search(normalised) else normalised
    for run in _HAN_RUN.findall(text):
        out.extend(run)                                            # 1-grams: the characters
        if len(run) > 1:
            pairs = list(map(add, run, run[1:]))
            out.extend(pairs)
            if len(run) > 2:
                triples = list(map(add, pairs, run[2:]))
                out.extend(triples)
                long.extend(triples)
    content = [w for w in _LATIN_WORD.findall(text) if w not in _EN_STOP]
    for word in content:
        out.append("w:" + word)
        padded = f"<{word}>"
        out.extend([f"c:{padded[i : i + 4]}" for i in range(max(1, len(padded) - 3))])
    if len(content) > 1:
        word_pairs = [f"b:{a}_{b}" for a, b in zip(content, content[1:])]
        out.extend(word_pairs)
        long.extend(word_pairs)
    if _COMING_BACK_FOUND.search(normalised):
        out.append("d:back")
    elif _GOING_OUT_FOUND.search(normalised):
        out.append("d:out")
    return out, long


def _keyword_matcher(keywords: dict[str, dict[str, float]]) -> tuple[re.Pattern[str] | None, dict[str, tuple[str, float]]]:
    """The longest keyword at each place: a keyword inside a longer matched one does not count,
    so "没有质量问题" (resale) is not also read as "质量问题" (quality), nor "未签收" as "签收"."""
    owner = {kw: (sid, weight) for sid, table in keywords.items() for kw, weight in table.items() if kw}
    if not owner:
        return None, owner
    return re.compile(_longest_match_pattern(owner)), owner


def _longest_match_pattern(words) -> str:
    """A regular expression that matches, where one of `words` starts, the longest that does — as
    the alternation of them all, longest first, would — but written as a trie ("单号(?:错|无效)"):
    where the alternation tries hundreds of keywords at each place, the trie follows one path."""
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}                   # a word ends here
    return _trie_pattern(root)


def _trie_pattern(node: dict) -> str:
    branches = [re.escape(ch) + _trie_pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = "|".join(branches)
    if "" in node:                      # a word ends here: the longer words first (greedy "?")
        return f"(?:{body})?"
    return body if len(branches) == 1 else f"(?:{body})"


def _is_long(feature: str) -> bool:
    """A 3-character Chinese n-gram or an English word pair: what says a text is phrased as in training."""
    return feature.startswith("b:") or (len(feature) == 3 and feature[1] != ":")


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


class ScenarioClassifier:
    def __init__(self, catalogue: Catalogue, settings: ClassifierSettings | None = None,
                 examples: dict[str, tuple[str, ...]] | None = None):
        self.settings = settings or ClassifierSettings()
        self._keyword_re, self._keyword_owner = _keyword_matcher(catalogue.keywords)
        # Per scenario, a search for any of its keywords: a clause can only cue a scenario whose
        # keywords the text contains (_also).
        keywords_of: dict[str, list[str]] = {}
        for keyword, (sid, _weight) in self._keyword_owner.items():
            keywords_of.setdefault(sid, []).append(keyword)
        self._keyword_search = {sid: re.compile(_longest_match_pattern(kws)) for sid, kws in keywords_of.items()}
        examples = examples if examples is not None else catalogue.examples
        self._labels = [sid for sid in SCENARIO_IDS if examples.get(sid)]
        data: list[tuple[list[str], list[str], str]] = []   # (n-grams, keyword features, label)
        for sid in self._labels:
            for text in examples[sid]:
                normalised = normalise(text[:MAX_CLASSIFIED_CHARS])
                data.append((list(dict.fromkeys(_features(normalised))), self._keyword_features(normalised), sid))
        self._train_bayes(data)
        self._train_linear(data)
        # What scoring looks up per feature, prepared once. One row per known n-gram: its naive Bayes
        # log-probabilities, then its linear weights (0.0 for the asking words and n-grams the linear
        # model has no weights for); one row per keyword with linear weights: 0.0 for naive Bayes,
        # then the weights. A single column sum then gives both models' totals: adding 0.0 leaves a
        # float sum exactly as it was, so the numbers are the same, in the same order, as summing
        # each model's own rows. (Arrays of doubles: compact, and summed as fast as tuples.)
        linear_rows = {f: row for f, row in self._weights.items() if f not in _ASKING}
        no_weights = array("d", [0.0]) * len(self._labels)
        self._rows = {f: array("d", row) + linear_rows.get(f, no_weights) for f, row in self._bayes_rows.items()}
        self._keyword_rows = {kw: no_weights + linear_rows["k:" + kw] for kw in self._keyword_owner
                              if "k:" + kw in linear_rows}
        del self._bayes_rows, self._weights     # all in the rows now: nothing else reads them (~8 MB)
        self._long_vocabulary = frozenset(f for f in self._vocabulary if _is_long(f))
        width = 2 * len(self._labels)
        self._columns = [slice(j, None, width) for j in range(width)]     # of the rows laid end to end

    # ---- training ----------------------------------------------------------
    def _train_bayes(self, data: list[tuple[list[str], list[str], str]]) -> None:
        counts: dict[str, Counter[str]] = {sid: Counter() for sid in self._labels}
        for feats, _kw, sid in data:
            counts[sid].update(feats)
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
        # Each known n-gram's log-probability under every label, looked up once here rather than once
        # per label on every description; the sums below add the same numbers in the same order.
        self._bayes_rows: dict[str, tuple[float, ...]] = {
            f: tuple(self._log_prob[sid].get(f, self._log_unseen[sid]) for sid in self._labels) for f in vocabulary}

    def _train_linear(self, data: list[tuple[list[str], list[str], str]]) -> None:
        """Averaged multiclass passive-aggressive (PA-I): on a margin violation, move the weights of
        the true label up and of the best wrong label down, by the smallest step that fixes it.
        Weights are one row of per-label floats per feature, so a score is a column sum."""
        settings = self.settings
        n_labels = len(self._labels)
        position = {sid: k for k, sid in enumerate(self._labels)}
        index: dict[str, int] = {}
        encoded = [([index.setdefault(f, len(index)) for f in feats + kws if f not in _ASKING], position[gold]) for feats, kws, gold in data]
        zeros = array("d", [0.0]) * n_labels                        # compact rows: no float objects
        weights = [array("d", zeros) for _ in range(len(index))]
        totals = [array("d", zeros) for _ in range(len(index))]     # step-weighted sums, for averaging
        order = list(range(len(encoded)))
        rng = random.Random(settings.seed)
        step_no = 1
        for _ in range(settings.linear_epochs):
            rng.shuffle(order)
            for i in order:
                ids, gold = encoded[i]
                if ids and n_labels > 1:
                    scores = [sum(column) for column in zip(*[weights[j] for j in ids])]
                    rival, rival_score = -1, -math.inf
                    for k, value in enumerate(scores):
                        if k != gold and value > rival_score:
                            rival, rival_score = k, value
                    loss = 1.0 - (scores[gold] - rival_score)
                    if loss > 0:
                        tau = min(settings.linear_step, loss / (2 * len(ids)))
                        weighted = step_no * tau
                        for j in ids:
                            row, acc = weights[j], totals[j]
                            row[gold] += tau
                            row[rival] -= tau
                            acc[gold] += weighted
                            acc[rival] -= weighted
                step_no += 1
        scale = -1.0 / step_no
        self._weights = {
            f: array("d", map(operator.add, weights[j], map(scale.__mul__, totals[j])))
            for f, j in index.items() if any(totals[j])
        }

    def _keyword_features(self, normalised: str) -> list[str]:
        if self._keyword_re is None:
            return []
        return ["k:" + m.group() for m in self._keyword_re.finditer(normalised)]

    @property
    def labels(self) -> list[str]:
        return list(self._labels)

    # ---- scoring -----------------------------------------------------------
    def scores(self, text: str) -> dict[str, float]:
        """Combined evidence per scenario, before the softmax."""
        normalised = normalise(text[:MAX_CLASSIFIED_CHARS])
        return self._scores(normalised, list(dict.fromkeys(_features(normalised))))

    def _scores(self, normalised: str, feats: list[str]) -> dict[str, float]:
        rows = self._known_rows(feats)
        return self._score_parts(normalised, rows, len(rows), bool(feats) and feats[-1] == "d:out")[0]

    def _known_rows(self, feats) -> list[array]:
        """The rows (see __init__) of the features seen in training, in their order."""
        return list(filter(None, map(self._rows.get, feats)))

    def _score_parts(self, normalised: str, rows: list[array], n_known: int, going_out: bool,
                     exclude: frozenset[str] = frozenset()) -> tuple[dict[str, float], str, str, dict[str, float]]:
        """Combined scores, naive Bayes' best, the linear model's best, keyword points, from the rows of
        the n_known known features (_known_rows; the keywords' rows are added to that list here).
        `going_out`: the last feature is "d:out". Scenarios in `exclude` are left out of all four."""
        settings = self.settings
        labels = self._labels
        points: dict[str, float] = {}
        if self._keyword_re is not None:
            owner, keyword_rows = self._keyword_owner, self._keyword_rows
            for keyword in self._keyword_re.findall(normalised):
                sid, weight = owner[keyword]
                points[sid] = points.get(sid, 0.0) + weight
                if keyword in keyword_rows:
                    rows.append(keyword_rows[keyword])
        n_labels = len(labels)
        if rows:
            # The rows end to end, each column read with a stride: the same numbers summed in the same
            # order as zip(*rows) gives them, without a tuple of new floats per column.
            flat = memoryview(b"".join(rows)).cast("d")
            totals = list(map(sum, map(flat.__getitem__, self._columns)))
            linear = totals[n_labels:]
        else:
            totals = linear = [0.0] * (2 * n_labels)
        logliks = [total / n_known for total in totals[:n_labels]] if n_known else [0.0] * n_labels
        temperature, keyword_weight = settings.temperature, settings.keyword_weight
        bayes = [temperature * loglik + keyword_weight * points.get(sid, 0.0) for sid, loglik in zip(labels, logliks)]
        mix = settings.mix
        bayes_share, linear_share = 1 - mix, mix * settings.linear_scale
        outgoing = settings.outgoing_weight if going_out else 0.0
        result = {sid: bayes_share * b + linear_share * w + (outgoing if sid == UNKNOWN else 0.0)
                  for sid, b, w in zip(labels, bayes, linear)}
        if exclude:
            for sid in exclude:
                result.pop(sid, None)
                points.pop(sid, None)
            kept = [i for i, sid in enumerate(labels) if sid not in exclude]
            return (result, labels[max(kept, key=bayes.__getitem__)], labels[max(kept, key=linear.__getitem__)],
                    points)
        # max() over the lists as over the dicts before: the first label of the highest score
        return result, labels[bayes.index(max(bayes))], labels[linear.index(max(linear))], points

    def _points(self, normalised: str) -> dict[str, float]:
        points: dict[str, float] = {}
        if self._keyword_re is not None:
            owner = self._keyword_owner
            for keyword in self._keyword_re.findall(normalised):
                sid, weight = owner[keyword]
                points[sid] = points.get(sid, 0.0) + weight
        return points

    def _reading(self, normalised: str, exclude: frozenset[str] = frozenset()) -> _Reading:
        all_feats, long = _features_and_long(normalised)
        feats = dict.fromkeys(all_feats)                # without repeats, in order
        rows = self._known_rows(feats)
        n_known = len(rows)
        known_share = (n_known / len(feats)) if feats else 0.0
        # the distinct long n-grams, and those seen in training (every long one in training is in
        # _long_vocabulary)
        longer = len(set(long))
        long_share = (len(self._long_vocabulary.intersection(long)) / longer) if longer else known_share
        going_out = bool(all_feats) and all_feats[-1] == "d:out"      # "d:" features come last, once
        scores, bayes_best, linear_best, points = self._score_parts(normalised, rows, n_known, going_out, exclude)
        top = max(scores.values())
        exp = {sid: math.exp(s - top) for sid, s in scores.items()}
        total = sum(exp.values())
        # highest first; equal ones in rank order, as the labels (and so `exp`) are: the sort is stable
        probs = tuple(sorted(((sid, e / total) for sid, e in exp.items()), key=operator.itemgetter(1), reverse=True))
        return _Reading(probs, known_share, long_share, len(feats), points, bayes_best == linear_best, bayes_best)

    def calibrated(self, reading: _Reading) -> float:
        return _sigmoid(sum(w * x for w, x in zip(self.settings.calibration, reading.calibration_inputs())))

    def predict(self, text: str, exclude: frozenset[str] = frozenset()) -> Prediction:
        """The scenario the text describes; `exclude`: scenarios it cannot be, whatever the words say
        (bot.engine.drafts.Engine.analyse rules one out when the facts contradict it)."""
        normalised = normalise(text[:MAX_CLASSIFIED_CHARS])
        reading = self._reading(normalised, exclude)
        probs = reading.probs
        if probs and probs[0][0] == UNKNOWN and not exclude:
            told = self._told_in_a_sentence(normalised)
            if told is not None:
                return told
        if not reading.n_features or reading.known_share < self.settings.min_known_features:
            rest = [(sid, p) for sid, p in probs if sid != UNKNOWN][:3]
            return Prediction(UNKNOWN, round(max(0.5, 1.0 - sum(p for _, p in rest)), 4), tuple((s, round(p, 4)) for s, p in rest))
        best, top = probs[0]
        confidence = self.calibrated(reading)
        # The others keep their share of what the calibrated top leaves, never above the top.
        rest_scale = (1 - confidence) / (1 - top) if top < 1 else 0.0
        alternatives = tuple((sid, round(min(p * rest_scale, confidence), 4)) for sid, p in probs[1:4])
        also = self._also(normalised, reading) if best != UNKNOWN else ()
        if best == DEADLINE_ONLY:
            # "Details right, still in transit, deadline near" is the case only when nothing else is
            # wrong: with another logistics problem stated, that problem leads and the deadline follows.
            other = next((sid for sid in also if sid in DEADLINE_SECONDARY_TO), None)
            if other is None:
                runner_up = next((sid for sid, _p in probs[1:3] if sid in DEADLINE_SECONDARY_TO), None)
                if runner_up and reading.points.get(runner_up, 0.0) >= DECISIVE_POINTS:
                    other = runner_up
            if other is not None:
                best = other
                also = (DEADLINE_ONLY, *[sid for sid in also if sid != other])
                alternatives = ((DEADLINE_ONLY, round(confidence, 4)), *[(s, c) for s, c in alternatives if s != other])[:3]
        if also and confidence > self.settings.several_max_confidence:
            # Several problems stated: which one the merchant means first is a guess, not a certainty.
            confidence = self.settings.several_max_confidence
            alternatives = tuple((sid, min(p, confidence)) for sid, p in alternatives)
        return Prediction(best, round(confidence, 4), alternatives, also)

    def _told_in_a_sentence(self, normalised: str) -> Prediction | None:
        """A return problem told in one sentence of a longer message that as a whole reads as out of
        scope — merchants tell the case, then ask about it or talk of other shops ("…她要全额退款。我在蝦皮
        都是直接拒绝，视频号可以吗？"). The sentence must read as that problem on its own, with its cues."""
        sentences = [s.strip() for s in _SENTENCE.split(normalised)]
        sentences = [s for s in sentences if len(s) >= 6]
        if len(sentences) < 2:
            return None
        settings = self.settings
        for sentence in sentences:
            reading = self._reading(sentence)
            sid, probability = reading.probs[0]
            if (sid != UNKNOWN and probability >= settings.also_min_probability
                    and reading.points.get(sid, 0.0) >= settings.also_min_points
                    and reading.known_share >= settings.min_known_features):
                confidence = min(self.calibrated(reading), settings.several_max_confidence)
                rest = [(s, round(min(p, confidence), 4)) for s, p in reading.probs[1:4]]
                return Prediction(sid, round(confidence, 4), tuple(rest))
        return None

    # ---- several problems in one description --------------------------------
    def _also(self, normalised: str, reading: _Reading) -> tuple[str, ...]:
        """Further problems: a clause that states another problem on its own — the clause's best
        reading is that scenario, with probability ≥ also_min_probability and at least one keyword
        cue of it in the clause — and that scenario is among the whole text's best readings."""
        settings = self.settings
        best = reading.probs[0][0]
        candidates = {sid for sid, _p in reading.probs[: settings.also_among]} - {best, UNKNOWN}
        # Only a candidate with a keyword somewhere in the text can be cued by one of its clauses; the
        # others would never be added, so leaving them out changes nothing but the work.
        keyword_search = self._keyword_search
        candidates = {sid for sid in candidates if sid in keyword_search and keyword_search[sid].search(normalised)}
        if not candidates:
            return ()
        clauses = [c.strip() for c in _CLAUSE.split(normalised) if c and c.strip()]
        if len(clauses) < 2 or not candidates:
            return ()
        found: list[str] = []
        for clause in clauses:
            if len(found) == len(candidates):
                break           # every candidate found: no clause can add one (nor is it read)
            if len(clause) < 4:
                continue
            cues = self._points(clause)
            # A clause is read only if it cues a candidate not found yet: a found one cannot be added
            # again, and an uncued one is never added.
            if not any(cues.get(sid, 0.0) >= settings.also_min_points for sid in candidates if sid not in found):
                continue
            sid, probability = self._reading(clause).probs[0]
            if (sid in candidates and sid not in found and probability >= settings.also_min_probability
                    and cues.get(sid, 0.0) >= settings.also_min_points
                    and frozenset((sid, best)) not in _EXCLUSIVE
                    and not any(frozenset((sid, f)) in _EXCLUSIVE for f in found)):
                found.append(sid)
        return tuple(found[:2])
