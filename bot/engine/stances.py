"""Reading a buyer's answer to the merchant's offer: which stance it takes, and what it states.

The merchant pastes what the buyer answered ("好的", "退我80就行", "我要投诉你们", or a whole chat
with the merchant's own lines and name/time headers). `StanceReader.read()` finds the buyer's words
(bot/engine/buyer_turns.py), scores each stance with naive Bayes over the scenario classifier's
character n-grams (`bot.engine.classifier.features`) plus weighted cue phrases and a few structural
hints, and calibrates the top probability into a confidence: below the threshold the reading is not
`sure` and the bot asks the merchant with buttons. Training data is YAML beside the scenario
examples: bot/data/stances/examples.yaml (stance -> buyer messages) and cues.yaml (cue phrases per
stance, and tables for the question topic, the done kind and what the buyer wants instead).

Rules where two stances meet (the examples are labelled the same way):

- **agrees + a question** ("好的，那什么时候退款？") is `agrees`; the question's `topic` is set.
- **a done action + a question** ("我已经寄了，什么时候退款？") is `already_done`: what the buyer did
  changes the case (the merchant checks the parcel or the request), the question is answered on
  the way; `topic` is set beside `done`.
- **agreeing with a condition** ("行，但是退我80") is `counter_offer`: the bottom line is the new figure.
- **a threat beside insults** ("骗子，我要投诉") is `escalates`; insults alone are `upset`;
  a plain no without anger or threat is `refuses`.
- **done kind**: a tracking number (or "新单号") given → `tracking`; cancelling or withdrawing the
  request → `cancelled`; otherwise having sent the goods → `shipped`.
- `wants` is what the buyer asks for instead of the offer, named in the words ("全额退款", "换一个",
  "补发", "东西我留着"), or `partial_refund` for a counter-offer that names a refund figure; a
  negated want ("不要换货") is not one.

How cues are read (cues.yaml matches the normalised text, longest phrase first):

- a one-word answer listed under `whole_answers` ("好", "行", "👍", "不", "嗯", "?") is what it says;
- an agreement under a negation ("I won't agree", "not going to accept") counts for refuses;
- a threat taken back ("我不会给差评的") is no threat; a done action still to come ("下周寄回去")
  or asked about ("你们收到了吗") is not done;
- cues after the message's last turn ("…气死了，不过算了，退我50吧") are its bottom line and weigh
  more; a question in an angry message is rhetorical and adds to upset, not asks.

Money figures and date words come from bot/engine/answer_details.py; tracking numbers and carriers
from the scenario slot extractor (bot/engine/slots.py).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.engine.answer_details import TURNED_DOWN, date_words, money_figure
from bot.engine.buyer_turns import buyer_words
from bot.engine.catalogue import Catalogue, default_catalogue
from bot.engine.classifier import features
from bot.engine.normalise import normalise
from bot.engine.slots import SlotExtractor
from bot.resources import data_dir

STANCES = ("agrees", "refuses", "counter_offer", "asks", "already_done", "upset", "escalates", "unclear")
QUESTION_TOPICS = ("refund_when", "how_cancel", "where_send", "how_claim", "what_next", "how_much", "other")
DONE_KINDS = ("cancelled", "shipped", "tracking", "evidence")   # cancelled the request / (re)shipped the goods / gave a new tracking number / sent the photos or video asked for
# resend: the shop sends a new one (补发); send_rest: the buyer sends what was missing (补寄);
# cancel: the buyer no longer wants to return (不想退了), so the request can be cancelled.
WANTS = ("full_refund", "partial_refund", "exchange", "resend", "keep_item", "send_rest", "cancel")
UNCLEAR = "unclear"
# A code the buyer names as the tracking number, in a format the carrier table may not know (Taiwan's
# convenience-store returns, foreign carriers): after 单号/單號/tracking number/the right one is.
_NAMED_NUMBER = re.compile(r"(?:(?<!订)(?<!訂)单号|(?<!订)(?<!訂)單號|运单号|運單號|物流单号|物流單號|正确的是|正確的是|新单号|新單號|tracking(?: number| no\.?| #)?|the right one|the correct one)"
                           r"\s*(?:是|为|為|is|:|：)?\s*([A-Za-z]{0,4}[0-9][0-9 -]{6,22}[0-9])(?![0-9])", re.I)
MAX_TEXT_CHARS = 300
MAX_ANSWER_CHARS = 5000       # the longest answer (a pasted chat) the bot and `negobot reply` take          # the buyer's words a reading is based on (the latest ones)


@dataclass(frozen=True)
class BuyerReading:
    stance: str                                  # one of STANCES
    confidence: float                            # 0..1, calibrated: share of readings at this confidence that are right
    alternatives: tuple[tuple[str, float], ...]  # next stances, best first (up to 3)
    sure: bool                                   # confidence >= the reader's threshold; when False the bot asks
    slots: dict[str, object]                     # amount, amount_kind, tracking_number, carrier, date, wants — when stated
    topic: str | None = None                     # for asks (and agrees/already_done + a question): one of QUESTION_TOPICS
    done: str | None = None                      # for already_done: one of DONE_KINDS
    text: str = ""                               # the buyer's own words the reading is based on, ≤ 300 chars


@dataclass(frozen=True)
class StanceSettings:
    alpha: float = 0.1              # naive Bayes: additive smoothing
    temperature: float = 1.5        # naive Bayes: sharpness over the mean per-n-gram log-likelihood
    cue_weight: float = 1.0         # one cue point, in the same space
    question_points: float = 1.0    # a question mark or question word, for asks
    amount_points: float = 1.5      # a refund/deduction figure, for counter_offer
    tracking_points: float = 3.0    # a tracking number, for already_done
    bottom_line_weight: float = 1.5  # cue points after the message's last turn ("不过", "but") count this much
    future_done_share: float = 0.3   # what a done-action cue keeps when the action is still to come
    whole_answer_points: float = 4.0  # a one-word answer from cues.yaml whole_answers
    decisive_points: float = 2.5    # cue points that state a done action or a threat outright
    agree_points: float = 1.5       # cue points of agreement that keep a question an agreement
    threshold: float = 0.7          # below this the reading is not `sure` (cross-validation: 0.5–0.7 is right ~55% of the time)
    # confidence = sigmoid(w · (logit of the top probability, share of n-grams seen in training,
    # cue points of the best stance capped at 1, 1)), fitted on 5-fold cross-validation
    # (benchmarks/stance_accuracy.py --fit).
    calibration: tuple[float, float, float, float] = (1.316, -0.009, 0.232, 1.26)


# ---- cue phrases ------------------------------------------------------------------------------
class CueTable:
    """Weighted phrases per label; one alternation, longest phrase first, so a phrase inside a longer
    matched one does not count. Latin phrases match whole words only."""

    def __init__(self, table: dict[str, dict[str, float]]):
        self._owner: dict[str, tuple[str, float]] = {}
        for label, phrases in table.items():
            for phrase, weight in (phrases or {}).items():
                phrase = normalise(str(phrase))
                if phrase:
                    self._owner[phrase] = (label, float(weight))
        ordered = sorted(self._owner, key=lambda p: (-len(p), p))
        parts = [rf"(?<![a-z']){re.escape(p)}(?![a-z'])" if p[-1].isascii() and p[-1].isalpha() else re.escape(p)
                 for p in ordered]
        self._pattern = re.compile("|".join(parts)) if parts else None

    def matches(self, normalised: str, with_phrase: bool = False):
        """(label, weight, start[, phrase]) of every cue found."""
        if self._pattern is None:
            return []
        if with_phrase:
            return [(*self._owner[m.group()], m.start(), m.group()) for m in self._pattern.finditer(normalised)]
        return [(*self._owner[m.group()], m.start()) for m in self._pattern.finditer(normalised)]

    def points(self, normalised: str) -> dict[str, float]:
        points: dict[str, float] = {}
        for label, weight, _start in self.matches(normalised):
            points[label] = points.get(label, 0.0) + weight
        return points

    def best(self, normalised: str) -> str | None:
        points = self.points(normalised)
        return max(points, key=lambda k: (points[k], k)) if points else None


# ---- structural hints ---------------------------------------------------------------------------
_QUESTION = re.compile(r"[?？]|吗|呢\s*$|怎么|什么时候|多久|哪里|哪个|几天|\b(?:how|when|where|what|which|who|why|do i|can you|is the|is it)\b")
# Where a message turns to its bottom line: "…不过算了，退我50吧", "…but fine, refund me 60".
_TURN = re.compile(r"不过|但是|可是|但|算了|只是|\bbut\b|\bhowever\b|\banyway\b|\bwhatever\b")
_FUTURE = re.compile(r"明天|后天|下周|下星期|下礼拜|下个|等会|等下|待会|晚点|打算|准备|会寄|要寄|再寄|\b(?:will|going to|tomorrow|next week|later)\b")
_PAST = re.compile(r"已|了|咗|过了|刚|剛|\b(?:already|did|have|has|sent|shipped|posted|mailed|cancelled|canceled|yesterday)\b")
_ASKED_AFTER = re.compile(r"\s*(?:吗|么|嘛|没有?|未|\?|？)")
_THREAT_TAKEN_BACK = re.compile(r"(?:不会|不想|不打算|没有|没|不用|不至于)(?:给|去|再|跟你们)?\s*$|\b(?:won't|will not|not going to|don't want to|no need to|wouldn't)\s+(?:[a-z']+\s+){0,2}$")
# Punctuation, emoji and forms of address around a one-word answer ("亲，好的～", "👍👍").
_WHOLE_ANSWER_STRIP = re.compile(r"[\s,.!?~，。！？～、…:：;；'\"“”()（）-]+|^亲+|亲+$|呀$|哈$|啦$")
# A negation earlier in the same clause ("I won't ever agree", "我是不会同意的" is a cue of its own).
_NEGATION_BEFORE = re.compile(r"(?:\b(?:not|never|no longer|won't|wont|don't|dont|can't|cannot|cant|isn't|refuse to)\b|不会|不能|不可能|唔会)[^.,;!?，。；！？\n]*$")
_NEGATED = re.compile(r"(不要|不需要|不想|不用|不|没|别|no|not|don't|dont|never)\s*$")
# The classifier's n-grams drop English stop words; these carry the stance of a short answer.
_FORM_WORDS = re.compile(r"\b(no|not|don't|dont|won't|can't|never|yes|yeah|yep|ok|okay|when|where|how|what|which|who|why|"
                         r"already|i|you|your|me|but|if|instead|just|please)\b")


def stance_features(normalised: str) -> list[str]:
    """The classifier's character n-grams and word features, plus the form of the answer: a
    question or exclamation mark, English form words, how long it is."""
    out = features(normalised)
    out.extend("f:" + w for w in _FORM_WORDS.findall(normalised))
    if "?" in normalised:
        out.append("f:?")
    if "!" in normalised:
        out.append("f:!")
    length = len(normalised)
    out.append("f:len<4" if length < 4 else "f:len<12" if length < 12 else "f:len<40" if length < 40 else "f:long")
    return list(dict.fromkeys(out))


def _readable(text: str) -> bool:
    """Something a person wrote: enough letters, Han, digits, punctuation or emoji, not binary noise."""
    if not text.strip():
        return False
    sample = text[:2000]
    good = sum(ch.isalnum() or ch.isspace() or ch in "?？!！。，,.、~～…:：;；'\"()（）-—/" or ord(ch) >= 0x1F000
               for ch in sample if ch != "\ufffd")
    if good / len(sample) < 0.7:
        return False
    return any(ch.isalnum() or ch in "?？" or ord(ch) >= 0x2000 for ch in sample)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def stances_dir() -> Path:
    return data_dir() / "stances"


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml when PyYAML has it: several times faster


def _read_yaml(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}


def load_examples(directory: Path | None = None) -> dict[str, tuple[str, ...]]:
    raw = _read_yaml(Path(directory or stances_dir()) / "examples.yaml")
    return {sid: tuple(dict.fromkeys(str(t) for t in raw.get(sid) or ())) for sid in STANCES}


def load_cues(directory: Path | None = None) -> dict[str, dict[str, dict[str, float]]]:
    raw = _read_yaml(Path(directory or stances_dir()) / "cues.yaml")
    return {name: raw.get(name) or {} for name in ("stances", "whole_answers", "topics", "done", "wants")}


@dataclass(frozen=True)
class _Scores:
    probs: tuple[tuple[str, float], ...]   # best first
    known_share: float
    cue_points: dict[str, float]

    def calibration_inputs(self) -> tuple[float, float, float, float]:
        best, p = self.probs[0]
        p = min(max(p, 1e-6), 1 - 1e-6)
        return (math.log(p / (1 - p)), self.known_share, min(self.cue_points.get(best, 0.0), 3.0) / 3.0, 1.0)


class StanceReader:
    def __init__(self, catalogue: Catalogue | None = None, examples_dir: Path | str | None = None,
                 settings: StanceSettings | None = None, examples: dict[str, tuple[str, ...]] | None = None):
        self.settings = settings or StanceSettings()
        self._slots = SlotExtractor(catalogue or default_catalogue())
        directory = Path(examples_dir) if examples_dir is not None else stances_dir()
        cues = load_cues(directory)
        self._stance_cues = CueTable(cues["stances"])
        self._topic_cues = CueTable(cues["topics"])
        self._done_cues = CueTable(cues["done"])
        self._want_cues = CueTable(cues["wants"])
        self._whole_answers = {_WHOLE_ANSWER_STRIP.sub("", normalise(str(answer))): (label, float(weight))
                               for label, answers in cues["whole_answers"].items() for answer, weight in (answers or {}).items()}
        self._train(examples if examples is not None else load_examples(directory))

    def _train(self, examples: dict[str, tuple[str, ...]]) -> None:
        counts = {sid: Counter() for sid in STANCES}
        for sid in STANCES:
            for text in examples.get(sid, ()):
                counts[sid].update(stance_features(normalise(buyer_words(text) or text)))
        vocabulary = set().union(*counts.values())
        self._vocabulary = frozenset(vocabulary)
        size = len(vocabulary) + 1
        alpha = self.settings.alpha
        log_probs = []
        for sid in STANCES:
            total = sum(counts[sid].values()) + alpha * size
            log_unseen = math.log(alpha / total)
            log_probs.append((counts[sid], log_unseen, math.log(total)))
        rows = {f: tuple(math.log(c[f] + alpha) - log_total if f in c else log_unseen
                         for c, log_unseen, log_total in log_probs) for f in vocabulary}
        self._rows = rows

    # ---- reading --------------------------------------------------------------------------------
    def read(self, text: str) -> BuyerReading:
        if not isinstance(text, str) or not _readable(text):
            return BuyerReading(UNCLEAR, 0.0, (), False, {}, text="")
        words = buyer_words(text)
        if len(words) > MAX_TEXT_CHARS:
            words = words[-MAX_TEXT_CHARS:].lstrip()
        if not words or not _readable(words):
            return BuyerReading(UNCLEAR, 0.0, (), False, {}, text=words[:MAX_TEXT_CHARS])
        normalised = normalise(words)
        slots = self._extract(words, normalised)
        scores = self._score(normalised, slots)
        stance = scores.probs[0][0]
        confidence = self.calibrated(scores)
        top = scores.probs[0][1]
        rest_scale = (1 - confidence) / (1 - top) if top < 1 else 0.0
        alternatives = tuple((sid, round(min(p * rest_scale, confidence), 4)) for sid, p in scores.probs[1:4])
        question = bool(_QUESTION.search(normalised))
        topic = done = None
        if stance == "asks" or (stance in ("agrees", "already_done") and question):
            topic = self._topic_cues.best(normalised) or ("other" if stance == "asks" else None)
        if stance == "already_done":
            done = self._done_kind(normalised, slots)
        wants = self._wants(normalised, stance, slots)
        if wants:
            slots["wants"] = wants
        if stance not in ("counter_offer", "agrees", "refuses") and slots.get("amount") is None:
            slots.pop("amount_kind", None)
        return BuyerReading(stance, round(confidence, 4), alternatives, confidence >= self.settings.threshold,
                            slots, topic, done, words)

    def _score(self, normalised: str, slots: dict[str, object]) -> _Scores:
        settings = self.settings
        feats = stance_features(normalised)
        known = [f for f in feats if f in self._vocabulary]
        if known:
            logliks = [t / len(known) for t in map(sum, zip(*[self._rows[f] for f in known]))]
        else:
            logliks = [0.0] * len(STANCES)
        structural = dict.fromkeys(STANCES, 0.0)
        whole = self._whole_answers.get(_WHOLE_ANSWER_STRIP.sub("", normalised))
        if whole:
            # a one-word answer is what it says, whatever short answers look like in training
            points = {whole[0]: whole[1]}
            structural[whole[0]] += settings.whole_answer_points
        else:
            points = self._cue_points(normalised)
        if _QUESTION.search(normalised):
            # a question in an angry message is rhetorical ("你们还讲不讲理？")
            rhetorical = points.get("upset", 0.0) >= settings.agree_points
            structural["upset" if rhetorical else "asks"] += settings.question_points
            # the rules of the module docstring: a question beside a done action or an agreement
            # does not make the answer a question
            # (the question's own cue points go to the stance that leads)
            asked = settings.question_points + settings.cue_weight * points.get("asks", 0.0)
            if points.get("already_done", 0.0) >= settings.decisive_points:
                structural["already_done"] += asked
            elif points.get("agrees", 0.0) >= settings.agree_points and not points.get("refuses") and not points.get("upset"):
                structural["agrees"] += asked
        if points.get("escalates", 0.0) >= settings.decisive_points:
            structural["escalates"] += settings.cue_weight * points.get("upset", 0.0)   # a threat beats anger
        if "amount" in slots:
            structural["counter_offer"] += settings.amount_points
        if "tracking_number" in slots:
            structural["already_done"] += settings.tracking_points
        if not known and not points:
            structural[UNCLEAR] += 3.0
        scores = {sid: settings.temperature * ll + settings.cue_weight * points.get(sid, 0.0) + structural[sid]
                  for sid, ll in zip(STANCES, logliks)}
        top = max(scores.values())
        exp = {sid: math.exp(s - top) for sid, s in scores.items()}
        total = sum(exp.values())
        probs = tuple(sorted(((sid, e / total) for sid, e in exp.items()), key=lambda p: (-p[1], STANCES.index(p[0]))))
        return _Scores(probs, len(known) / len(feats) if feats else 0.0, points)

    def _cue_points(self, normalised: str) -> dict[str, float]:
        """Cue points per stance, read as a buyer means them:
        - an agreement cue under a negation ("I won't agree", "not going to accept") counts for refuses;
        - a threat taken back ("我不会给差评的", "I won't report you") is no threat;
        - a done action in the future ("我下周一寄回去") is not done yet;
        - cues after the last turn of the message ("…气死了，不过算了，退我50吧") are its bottom line
          and weigh more."""
        settings = self.settings
        turn = max((m.end() for m in _TURN.finditer(normalised)), default=0)
        future = bool(_FUTURE.search(normalised)) and not _PAST.search(normalised)
        points: dict[str, float] = {}
        for label, weight, start, phrase in self._stance_cues.matches(normalised, with_phrase=True):
            before = normalised[max(0, start - 24): start]
            if label == "agrees" and _NEGATION_BEFORE.search(before):
                label = "refuses"
            elif label == "escalates" and _THREAT_TAKEN_BACK.search(before):
                continue
            elif label == "already_done" and (future or _ASKED_AFTER.match(normalised, start + len(phrase))):
                weight *= settings.future_done_share        # "下周寄回去", "你们寄了吗"
            if turn and start >= turn:
                weight *= settings.bottom_line_weight
            points[label] = points.get(label, 0.0) + weight
        return points

    def calibrated(self, scores: _Scores) -> float:
        return _sigmoid(sum(w * x for w, x in zip(self.settings.calibration, scores.calibration_inputs())))

    def raw_scores(self, text: str) -> _Scores:
        """The uncalibrated reading (for fitting the calibration)."""
        words = buyer_words(text)[-MAX_TEXT_CHARS:] if _readable(text) else ""
        normalised = normalise(words)
        return self._score(normalised, self._extract(words, normalised))

    # ---- details --------------------------------------------------------------------------------
    def _extract(self, words: str, normalised: str) -> dict[str, object]:
        found, kind = self._slots.extract_details(words)
        slots: dict[str, object] = {k: found[k] for k in ("tracking_number", "carrier") if k in found}
        if "tracking_number" not in slots:
            named = _NAMED_NUMBER.search(words)     # "正確的是 TW1234567890": a number the buyer calls the tracking number
            if named:
                slots["tracking_number"] = re.sub(r"[\s-]", "", named.group(1)).upper()
        figure = money_figure(normalised, slots.get("tracking_number"))
        if figure == TURNED_DOWN:
            pass                            # the figure named is the one the buyer refuses: no proposal
        elif figure is not None:
            slots["amount"] = figure[0]
            if figure[1]:
                slots["amount_kind"] = figure[1]
        elif "amount" in found:
            slots["amount"], slots["amount_kind"] = found["amount"], kind or "refund"
        date = date_words(words)
        if date:
            slots["date"] = date
        return slots

    def _done_kind(self, normalised: str, slots: dict[str, object]) -> str:
        points = self._done_cues.points(normalised)
        if "tracking_number" in slots or points.get("tracking", 0.0) >= 2.5:
            return "tracking"
        if points.get("cancelled", 0.0) > 0:
            return "cancelled"
        if points.get("evidence", 0.0) > points.get("shipped", 0.0):
            return "evidence"
        return "shipped"

    def _wants(self, normalised: str, stance: str, slots: dict[str, object]) -> str | None:
        if stance not in ("refuses", "counter_offer", "upset", "escalates", "agrees", "asks"):
            return None
        points: dict[str, float] = {}
        for label, weight, start in self._want_cues.matches(normalised):
            if _NEGATED.search(normalised[max(0, start - 4): start]):
                continue
            points[label] = points.get(label, 0.0) + weight
        if points:
            return max(points, key=lambda k: (points[k], -WANTS.index(k)))
        if stance == "counter_offer" and slots.get("amount") is not None:
            return "partial_refund"
        return None


def check_answer(text: object) -> str:
    """The buyer's answer, stripped; InputError (a line for the merchant) when it is empty or too long."""
    from bot.engine.drafts import InputError

    words = text.strip() if isinstance(text, str) else ""
    if not words:
        raise InputError("the buyer's answer is empty")
    if len(words) > MAX_ANSWER_CHARS:
        raise InputError(f"the buyer's answer is {len(words)} characters long; paste the last messages (up to {MAX_ANSWER_CHARS})")
    return words


@lru_cache(maxsize=1)
def default_stance_reader() -> StanceReader:
    return StanceReader()
