"""Facts a description gives beyond the five slots: the item, what is wrong with it, who the merchant
thinks is at fault, whether the goods are back, the merchant's evidence, gifts and accessories, and
how long a parcel has stalled.

Lexicons and cue patterns are data (bot/data/facts.yaml); this module only matches them. A fact is
reported only when the description states it: drafts print what the merchant said, and remedies
are chosen by it (bot/engine/remedies.py).
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field
from functools import lru_cache, reduce
from pathlib import Path

import opencc
import yaml

from bot.engine.needles import Needles, needles
from bot.engine.normalise import normalise
from bot.engine.numerals import ENGLISH_NUMBERS, parse_number
from bot.engine.pattern_starts import SYNTAX, any_of, compile_led, first_chars, group_end, split_top, without_groups
from bot.engine.slots import MEASURE_WORDS
from bot.resources import data_dir

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FAULTS = ("unsure", "disputed", "buyer", "carrier", "shop")
GOODS = ("delivered", "inspected", "not_back")   # checked in this order: "signed for, not opened yet" is delivered
EVIDENCE = ("photos", "video", "carrier_proof", "refused", "tested")
_WORDING = frozenset({"item_word", "accessory_word", "unit_word", "item_count", "amount_named", "asked_for", "return_named",
                      "asks_to_reject"})
_COUNT_BEFORE = re.compile(rf"((?:[0-9]+|[一二两三四五六七八九十]+)\s*[{MEASURE_WORDS}])(?:的)?\s*$")
_COUNTED = rf"(?:(?<![0-9])[0-9]+|(?<![一二两三四五六七八九十])[一二两三四五六七八九十]+)\s*([{MEASURE_WORDS}])"   # compiled with _led
_NEGATION_WINDOW = 3       # characters before a cue searched for a negation
_LATIN_NEGATION_WINDOW = 8  # the same before an English cue: "haven't " is eight
_OWNER_WINDOW = 8         # characters before an evidence cue searched for someone else or a promise
_NEGATED_INSIDE = re.compile(r"没|未(?!来)|无")      # "我们没拍开箱视频" matched from 我们
_PROMISED_INSIDE = re.compile(r"会|将|要|(?<![a-z])will ")   # "快递说之后会开证明": not evidence yet
_NEGATED_AFTER = re.compile(r"\s*(没|没有|未|都没)")
# Whose an address is: "买家以前的旧地址", "the buyer's old address".
_BUYERS_OWN = re.compile(r"(买家|客人|顾客|用户|客户|对方|他|她)(自己)?(的|以前|之前|原来)|(buyer|customer|their|his|her)('s)?\s+$")
# "haven't received or inspected anything": the negation before the first of two joined verbs.
_NEGATED_PAIR = re.compile(r"(?:n't|\bnot|\bnever)\s+[a-z]+\s+(?:or|nor)\s+$")
_ARRIVED = r"退回来|寄回来|退回的|寄回的|退回了|寄回了|退返|收到|到货|退件.{0,4}到|(?<![a-z])(came back|arrived|sent back|returned|received)"   # compiled with _led
_WEEK = re.compile(r"礼拜|星期|周")
# The facts that are only whether one of their cues (bot/data/facts.yaml, same name) is in the text.
_CUE_FACTS = ("offer_refused", "order_not_received", "return_named", "asks_to_reject", "signed_not_received",
              "swap_suspected", "never_shipped", "platform_ruled", "buyer_lost_it", "buyer_says_sent", "defect_confirmed",
              "carrier_tracing", "number_elsewhere", "pickup_failed", "refund_without_return",
              "no_return_needed", "return_cancelled")
# Words that put what follows in the future ("还有一天就要超时自动退款了"), in the clause before a cue.
# (not "手太快先按了同意退款" — too quick, in the past — nor 快递)
_FUTURE = re.compile(r"要|将|会|能|可以|(?<![太手好赶])快(?![递件手])|马上|即将|还有|还剩|等|准备|打算|多久|明天|后天|明早|明晚|今晚|到时候|到时|(?<![a-z])(will|about to|going to|soon)(?![a-z])")
# What the merchant fears or supposes rather than tells ("我怕钱退了壶没到", "怕点了被平台判我输", "in case the
# refund goes out"): in the clause just before a cue, it has not happened.
_FEARED = re.compile(r"(?<!恐)怕|担心|万一|生怕|以免|免得|如果|要是|假如|不然|否则|要不然|(?<![a-z])(afraid|worried|worry|in case|if)(?![a-z])")
# What a carrier said as a guess ("快递说可能丢件了", "courier says it's probably lost"): just after the cue.
_GUESSED = re.compile(r"[^。!?,，]{0,4}(可能|也许|大概|估计|应该|或许|probably|maybe|might|may be|possibly)")
# A cue asked about rather than told ("退款是原路返回吗？", "退款退了吗"): what follows it.
_ASKED = re.compile(r"\s*(吗|嘛|么|没有?[?？]|[?？]|就行|就好|就可以|怎么办|咋办|怎么整|怎么弄|那怎么办)")
# Just before a condition: the merchant denies it where it is named ("买家说一次没用过", "有没有穿过").
_DENIED_BEFORE = re.compile(r"(没有?|未|从没|并没|不是|无)\s*$|\b(not|never|no|without)\s+$|n't\s+$")
# Just after a part: the merchant says it is faulty ("左耳没声音", "背带断了") or there ("充电仓在 但是少了右耳").
_FAULTY = re.compile(r"\s*(也|都|还)?(没声音|没有声音|没声|不响|有杂音|杂音|坏了|坏的|是坏的|不亮|断了|断掉|裂了|不能用|用不了|失灵|接触不良)")
_PRESENT = re.compile(r"\s*(也|都|倒是|还|是)?(在|有)(的)?(?=$|[\s，。,.!！；;]|但|可|不过|就)")
# What the shop sold ("我们卖的是帆布鞋", "原本是个扫地机器人", "we sell 925 silver earrings"): the item named right after.
_SOLD_CUE = re.compile(r"(我们|我|我们家|店里|本店)(卖|发|寄出|发出)的(是|明明是)|原本是|本来是|订单是|(?<![a-z])we (sell|sold|sent|shipped)(?![a-z])")
_CLAUSE_END = re.compile(r"[，。！？,.!?；;\s]")
# That the request timed out ("没注意售后超时", "退款超时了", "it timed out"): once the refund is paid, the
# reason it was paid, not the problem with the return (without_refund_state takes it out too).
_TIMED_OUT = re.compile(r"(没注意|没留意|忘了看?|忘记)?(售后|退款|处理|审核|申请)?(时效|时间|期限)?(已经|已)?(超时|过期|逾期|到期)了?"
                        r"|(?<![a-z])(timed out|expired|(missed|passed) the deadline)")


def _told(pattern: re.Pattern[str], text: str) -> bool:
    """Whether `pattern` matches where the text tells it, not where it is feared or supposed (_FEARED)."""
    first = pattern.search(text)          # most cues are not in a text, and most that are are told
    if first is None:
        return False
    if not _feared(_clause_before(text, first.start()), first):
        return True
    return any(not _feared(_clause_before(text, m.start()), m) for m in pattern.finditer(text, first.end()))


def _feared(clause: str, match: re.Match[str]) -> bool:
    """A fear or supposition in the clause before a cue or inside it ("680块😭 我怕钱退了")."""
    return bool(_FEARED.search(clause) or _FEARED.search(match.group()))


def _clause_before(text: str, start: int, most: int = 8) -> str:
    """The words of the same clause just before `start` (at most `most` characters)."""
    before = text[max(0, start - most):start]
    ends = [m.end() for m in _CLAUSE_END.finditer(before)]
    return before[ends[-1]:] if ends else before


@dataclass(frozen=True)
class Facts:
    item: str | None = None                 # an id of facts.yaml `items`
    conditions: tuple[str, ...] = ()        # ids of `conditions`, in the order the text gives them
    received_instead: str | None = None     # what came back instead of the shop's goods
    accessory: str | None = None            # a gift or accessory is involved
    fault: str | None = None                # who the merchant thinks is at fault (FAULTS)
    goods: str | None = None                # whether the goods are back (GOODS)
    evidence: tuple[str, ...] = ()          # what the merchant says they have (EVIDENCE)
    stall_days: int | None = None           # how many days the tracking has not moved
    stall_long: bool = False                # the merchant says it has been long (a week or more)
    amount_named: bool = False              # the merchant named an amount (a refund or a deduction)
    item_word: str | None = None            # the item as the merchant wrote it (Simplified, lower case)
    accessory_word: str | None = None       # the gift or accessory as the merchant wrote it
    time_frame: str | None = None           # when inspection / the refund happens, as the merchant said
    pickup: str | None = None               # the pickup point or locker the parcel waits at, as written
    item_count: str | None = None           # how many of the item, as written before it ("两盒" 茶叶)
    unit_word: str | None = None            # the measure word the merchant counts with ("少了一箱" → 箱)
    asked_for: str | None = None            # a remedy id the merchant asked for in so many words
    carrier_said: bool = False              # the carrier itself told the merchant it lost or broke the parcel
    accessories: tuple[str, ...] = ()       # every gift or accessory named, when more than one ("充电器和遥控器")
    counted_word: str | None = None         # the item counted in the text ("少了一个枕套"), when not the first item
    offer_refused: bool = False             # the merchant offered the buyer an amount and the buyer turned it down
    deadline_near: bool = False             # a platform deadline or an automatic refund is close ("明天就自动退款了")
    order_not_received: bool = False        # the buyer says the order itself never reached them ("他说没收到货")
    return_named: bool = False              # the description speaks of a return (退货, 寄回, return): wording
    refund_paid: bool = False               # the refund has already gone out ("平台已经自动退款了"): the request is over
    asks_to_reject: bool = False            # the merchant asks whether they can just reject it ("可以拒绝吗"): wording
    signed_not_received: bool = False       # tracking says delivered or signed for, yet the shop never got it
    swap_suspected: bool = False            # the merchant suspects swapped or fake goods ("序列号对不上")
    never_shipped: bool = False             # the buyer never sent the return ("压根没寄回来，单号也不填")
    platform_ruled: bool = False            # the platform's intervention ruled for the buyer ("平台介入判买家赢")
    buyer_lost_it: bool = False             # the buyer says what is missing is lost ("买家说找不到了")
    buyer_says_sent: bool = False           # the buyer says everything went into the parcel ("买家说都放进去了")
    defect_confirmed: bool = False          # the merchant confirms the reported defect ("测了确实漏")
    carrier_tracing: bool = False           # the carrier is already looking for the parcel ("中通客服说在查")
    number_elsewhere: bool = False          # the return's tracking number leads to someone else's parcel ("收件人是别人")
    pickup_failed: bool = False             # the courier never collected the return ("上门取件约了三次都没取成")
    refund_without_return: bool = False     # the buyer wants the refund without sending the goods ("让我直接退款")
    no_return_needed: bool = False          # the merchant will refund without the goods back ("直接退款不用寄回")
    return_cancelled: bool = False          # the buyer cancelled the return's shipment or pickup ("把快递取消了")

    def as_dict(self) -> dict[str, object]:
        """The facts that were found, as JSON-friendly data (absent facts left out)."""
        out = {}
        for key, value in self._fields().items():
            if value in (None, (), False):
                continue
            out[key] = list(value) if isinstance(value, tuple) else value
        return out

    def _fields(self) -> dict[str, object]:
        """The fields as a dict, shallowly: every value is a str, number, bool, None or tuple of str
        (dataclasses.asdict deep-copies them all, which showed in the bot's per-message profile)."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    def public(self) -> dict[str, object]:
        """The facts `negobot draft --json` reports: what was read, not the words kept to print it."""
        return {k: v for k, v in self.as_dict().items() if k not in _WORDING}

    @classmethod
    def from_dict(cls, raw: dict[str, object] | None) -> "Facts":
        raw = raw or {}
        known = {f: raw[f] for f in cls.__dataclass_fields__ if f in raw}
        for key in ("conditions", "evidence"):
            if key in known:
                known[key] = tuple(known[key])
        return cls(**known)

    def with_defaults(self, defaults: dict[str, object]) -> "Facts":
        """These facts, with a scenario's defaults for what the description did not say."""
        values = self._fields()
        for key, value in defaults.items():
            if key in values and values[key] in (None, (), False):
                values[key] = tuple(value) if isinstance(value, list) else value
        return Facts(**values)


@dataclass(frozen=True)
class Term:
    id: str
    names: dict[str, str]
    unit: dict[str, str] = field(default_factory=dict)    # the Chinese measure word (个, 双, 条)


@dataclass(frozen=True)
class _Lexicon:
    terms: dict[str, Term]
    patterns: tuple[tuple[re.Pattern[str], str | None], ...]     # each alias, and its term (None: an exception)
    by_first: dict[str, tuple[int, ...]] = field(default_factory=dict)  # a literal alias's first character → its patterns
    always: tuple[int, ...] = ()                                       # patterns tried on every text (regex aliases)
    by_pair: dict[str, tuple[int, ...]] = field(default_factory=dict)  # a literal alias's first two characters → its patterns
    # per pattern, when it is plain text (found with str.find): the text, and whether a latin letter
    # may not come right before / after it (the English aliases' word guards); None for a regex
    literals: tuple[tuple[str, bool, bool] | None, ...] = ()

    def find_all(self, text: str, index: tuple[set[str], set[str]] | None = None) -> list[tuple[int, str, str]]:
        """(start, term id, the words matched) for each mention, leftmost and longest first, not overlapping
        (at the same start and length, the alias listed first).

        Each alias is searched on its own: one alternation of hundreds of aliases is tried at every
        position and ran thirty times slower. A literal alias is only tried when its first two
        characters occur in the text (a regex alias, when the character it must start with does), which
        leaves a few dozen of the hundreds per description. `index`: text_index(text), when the caller
        looks in several lexicons. A plain-text alias is found with str.find (the same non-overlapping
        matches, left to right, as its pattern's finditer)."""
        chars, pairs = index or text_index(text)
        candidates = list(self.always)
        by_first, by_pair = self.by_first, self.by_pair
        for ch in by_first.keys() & chars:
            candidates.extend(by_first[ch])
        for pair in by_pair.keys() & pairs:
            candidates.extend(by_pair[pair])
        patterns, literals = self.patterns, self.literals
        matches = []
        for i in set(candidates):               # a pattern may start with several characters: once
            literal = literals[i]
            if literal:
                words, guard_before, guard_after = literal
                start = text.find(words)
                while start >= 0:
                    end = start + len(words)
                    if (guard_before and start and "a" <= text[start - 1] <= "z") or \
                            (guard_after and end < len(text) and "a" <= text[end] <= "z"):
                        start = text.find(words, start + 1)     # as the pattern: try the next position
                        continue
                    matches.append((start, -len(words), i, words))
                    start = text.find(words, end)
            else:
                matches.extend((m.start(), -len(m.group()), i, m.group()) for m in patterns[i][0].finditer(text) if m.group())
        spans = sorted(matches)
        found, taken_until = [], -1
        for start, negative_length, i, words in spans:
            term = patterns[i][1]
            if start < taken_until:
                continue
            taken_until = start - negative_length
            if term is not None:
                found.append((start, term, words))
        return found


def text_index(text: str) -> tuple[set[str], set[str]]:
    """The characters and the two-character runs of `text`: what _Lexicon.find_all picks aliases by."""
    return set(text), set(map(operator.add, text, text[1:]))


def _ascii_guard(pattern: str) -> str:
    """English cues are whole words: "wet" is not in "between"."""
    return rf"(?<![a-z]){pattern}" if pattern[:1].isascii() and pattern[:1].isalpha() else pattern


def _lexicon(raw: dict, literal: bool) -> _Lexicon:
    terms: dict[str, Term] = {}
    patterns: list[tuple[re.Pattern[str], str | None]] = []
    by_first: dict[str, list[int]] = {}
    by_pair: dict[str, list[int]] = {}
    always: list[int] = []
    literals: list[str | None] = []
    for term_id, entry in (raw or {}).items():
        terms[term_id] = Term(term_id, {loc: str(entry[loc]) for loc in ("zh_CN", "zh_TW", "en")},
                              {loc: str(u) for loc, u in (entry.get("unit") or {}).items()})
        aliases = [(str(a).lower(), term_id) for a in entry.get("match") or ()]
        aliases += [(str(a).lower(), None) for a in entry.get("except") or ()]
        for alias, term in aliases:
            if literal:
                body = re.escape(alias)
                body = rf"(?<![a-z]){body}(?![a-z])" if alias.isascii() else body
            else:
                body = _ascii_guard(alias)
            literals.append(_plain_text(body, alias))
            searched = body if literal or literals[-1] else _letter_first(alias)
            patterns.append((re.compile(without_groups(searched)), term))     # find_all reads no group
            firsts = frozenset(alias[:1]) if literal else first_chars(alias)
            # what every match starts with: the alias itself when plain text
            prefix = alias if literals[-1] else _literal_prefix(alias)
            starts = {prefix[:2]} if len(prefix) >= 2 else () if literal else _leading_pairs(alias)
            if starts:
                for pair in sorted(starts):
                    by_pair.setdefault(pair, []).append(len(patterns) - 1)
            elif firsts:
                for first in sorted(firsts):
                    by_first.setdefault(first, []).append(len(patterns) - 1)
            else:
                always.append(len(patterns) - 1)
    return _Lexicon(terms, tuple(patterns), {ch: tuple(ix) for ch, ix in by_first.items()}, tuple(always),
                    {pair: tuple(ix) for pair, ix in by_pair.items()}, tuple(literals))


_WORD_BEFORE, _WORD_AFTER = "(?<![a-z])", "(?![a-z])"


def _plain_text(body: str, alias: str) -> tuple[str, bool, bool] | None:
    """When the pattern `body` of `alias` is plain text, perhaps with the word guards, str.find (and a
    look at the letters around) finds exactly what it does: (the text, whether a latin letter may not
    come right before, right after). None for a regular expression."""
    if not alias:
        return None
    guard_before, guard_after = body.startswith(_WORD_BEFORE), body.endswith(_WORD_AFTER)
    words = body[len(_WORD_BEFORE) if guard_before else 0 : -len(_WORD_AFTER) if guard_after else None]
    if words == re.escape(alias) or (words == alias and not any(ch in SYNTAX for ch in alias)):
        return alias, guard_before, guard_after
    return None


def _leading_pairs(pattern: str) -> frozenset[str]:
    """The two characters a match of `pattern` starts with, one of a few choices, when plain to see:
    each top-level alternative has a literal prefix (_literal_prefix) of two, or is a group, not
    optional nor repeated, whose own alternatives do. "(外箱|箱子|纸箱).{0,4}破" → {外箱, 箱子, 纸箱};
    "(won.t|does not) charge" → {wo, do}. Empty if not."""
    out: set[str] = set()
    for alternative in split_top(pattern) or ():
        prefix = _literal_prefix(alternative)
        if len(prefix) >= 2:
            out.add(prefix[:2])
            continue
        if not alternative.startswith("(") or (alternative.startswith("(?") and not alternative.startswith("(?:")):
            return frozenset()
        close = group_end(alternative)
        if close is None or alternative[close + 1 : close + 2] in ("?", "*", "{", "+"):
            return frozenset()
        inner = _leading_pairs(alternative[3 if alternative.startswith("(?:") else 1 : close])
        if not inner:
            return frozenset()
        out |= inner
    return frozenset(out)


def _literal_prefix(pattern: str) -> str:
    """The plain text every match of `pattern` starts with ("tags? (were |was )?cut" → "tag"), when
    plain to see; "" if none."""
    alternatives = split_top(pattern)
    if alternatives is None or len(alternatives) != 1:
        return ""
    end = 0
    while end < len(pattern) and pattern[end] not in SYNTAX and pattern[end + 1:end + 2] not in ("?", "*", "{", "+"):
        end += 1
    return pattern[:end]


def _patterns(raw: list | None, found_only: bool = False) -> re.Pattern[str] | None:
    """One alternation of cues. When every cue's first characters are plain to see, a lookahead on
    them goes first: a position no cue can start at is passed over at once instead of trying each of
    dozens of cues there (the same matches; the big fault alternations ran several times faster).
    `found_only`: only whether (and where) it is found matters (compile_led). No caller reads a group:
    none is kept (without_groups)."""
    items = [str(p) for p in raw or ()]
    if not items:
        return None
    firsts = [first_chars(p) for p in items]
    body = "(?:" + "|".join(f"(?:{without_groups(_ascii_guard(p))})" for p in items) + ")"
    return compile_led(frozenset().union(*firsts) if all(firsts) else frozenset(), body, found_only)


def _led(pattern: str, found_only: bool = False) -> re.Pattern[str]:
    """`pattern`, led by a lookahead on its first characters (as in _patterns) when they are plain and
    a lookbehind hides them from the regex engine's own scan (_starts_behind)."""
    return compile_led(first_chars(pattern) if _starts_behind(pattern) else frozenset(), f"(?:{pattern})", found_only)



def _starts_behind(pattern: str) -> bool:
    """Whether an alternative of `pattern`, or of a group it starts with, starts with a lookbehind."""
    for alternative in split_top(pattern) or ():
        if alternative.startswith(("(?<!", "(?<=")):
            return True
        if alternative.startswith("(") and not alternative.startswith("(?"):
            close = group_end(alternative)
            if close is not None and _starts_behind(alternative[1:close]):
                return True
        elif alternative.startswith("(?:"):
            close = group_end(alternative)
            if close is not None and _starts_behind(alternative[3:close]):
                return True
    return False




def _letter_first(alias: str) -> str:
    """_ascii_guard(alias), the guard written after the first letter ("r(?<![a-z]r)eeks?"): the same
    matches, but the pattern starts with its letter, which the regex engine scans for, not with a
    lookbehind, which it tries at every position."""
    first = alias[:1]
    if not (first.isascii() and first.isalpha()) or alias[1:2] in ("?", "*", "+", "{"):
        return _ascii_guard(alias)
    return f"{first}(?<![a-z]{first}){alias[1:]}"


def _number(token: str) -> int | None:
    token = token.strip().lower()
    if token in ENGLISH_NUMBERS:
        return ENGLISH_NUMBERS[token]
    if token == "fourteen":
        return 14
    value = parse_number(token)
    return int(value) if value is not None and value == int(value) and 0 < value < 1000 else None


class FactExtractor:
    def __init__(self, path: Path | None = None):
        path = path or data_dir() / "facts.yaml"
        with path.open(encoding="utf-8") as handle:
            raw = yaml.load(handle, Loader=_YAML_LOADER)
        self.generic: dict[str, dict[str, str]] = {k: dict(v) for k, v in raw["generic"].items()}
        self.items = _lexicon(raw["items"], literal=True)
        self.accessories = _lexicon(raw["accessories"], literal=True)
        self.conditions = _lexicon(raw["conditions"], literal=False)
        self.received_instead = _lexicon(raw["received_instead"], literal=False)
        # the two-character runs any of the four lexicons picks aliases by
        self._lexicon_pairs = frozenset().union(*(lexicon.by_pair for lexicon in
                                                  (self.items, self.accessories, self.conditions, self.received_instead)))
        # what a text must hold for each cue alternation to match it (bot.engine.needles), by id(): a
        # Pattern's own hash reads its whole compiled program each time
        self._needles: dict[int, Needles] = {}
        self._fault = [(kind, self._cues(raw["fault"][kind], found_only=True)) for kind in FAULTS]
        self._goods = [(kind, self._cues(raw["goods"][kind])) for kind in GOODS]
        self._evidence = [(kind, self._cues(raw["evidence"][kind])) for kind in EVIDENCE]
        self._negations = tuple(str(n) for n in raw["negations"])
        # whether any of them is in a text, in one search
        self._negation_in = re.compile("|".join(map(re.escape, self._negations))) if self._negations else None
        self._not_ours = re.compile(raw["not_ours"])
        stall = raw["stall"]
        self._stall_days = [_led(_ascii_guard(p)) for p in stall["days"]]
        self._stall_long = self._cues(stall["long"], found_only=True)
        self.long_after_days = int(stall["long_after_days"])
        self._time_frame = [_led(p, found_only=True) for p in raw["time_frame"]]
        self.usage_conditions = frozenset(raw["usage_conditions"])
        self._carrier_said = _patterns(raw["carrier_said"])     # matches end where the cue ends (_GUESSED reads on)
        self._cue_facts = [(name, pattern) for name in _CUE_FACTS
                           for pattern in [self._cues(raw[name], found_only=True)] if pattern is not None]
        self._deadline_near = self._cues(raw["deadline_near"], found_only=True)
        self._refund_paid = self._cues(raw["refund_paid"])      # its matches end where the cue ends (the guards read on)
        self._asked_for = [(remedy, self._cues(cues, found_only=True)) for remedy, cues in raw["asked_for"].items()]
        self._counted = _led(_COUNTED, found_only=True)
        self._arrived = _led(_ARRIVED, found_only=True)
        self._pickup = _led("|".join(_ascii_guard(re.escape(p)) for p in raw["pickup"]["match"]))
        self.pickup_en = str(raw["pickup"]["en"])
        # Whether a text has any evidence, remedy asked for or count of stalled days, in one scan each:
        # few have any
        self._evidence_in = self._any_of([p for _k, p in self._evidence if p is not None])
        self._asked_in = self._any_of([p for _r, p in self._asked_for if p is not None])
        self._stall_in = any_of(self._stall_days)
        self._gift_cue = re.compile(r"(赠品|赠送的|附赠的?|礼品|送的|gift|freebie)\s*[(（:：,，]?\s*(是|为|was|is)?\s*(一个|一只|一件|一套|一瓶|一支|一条|那个|那只|那件|那套|那瓶|这个|a |an |the )?")

    def _any_of(self, patterns: list[re.Pattern[str]]) -> re.Pattern[str]:
        """any_of(patterns), with their needles when each has them."""
        found = any_of(patterns)
        parts = [self._needles.get(id(p)) for p in patterns]
        if parts and all(parts):
            self._needles[id(found)] = reduce(operator.or_, parts)
        return found

    def _cues(self, raw: list | None, found_only: bool = False) -> re.Pattern[str] | None:
        """_patterns(raw), with the needles of its cues kept for _may_match."""
        pattern = _patterns(raw, found_only)
        if pattern is not None:
            found = needles(*map(str, raw))
            if found is not None:
                self._needles[id(pattern)] = found
        return pattern

    def _may_match(self, pattern: re.Pattern[str] | None, index: tuple[set[str], set[str]]) -> bool:
        """False when `pattern` cannot match a text of this text_index: it holds none of the pattern's
        needles. Two set tests instead of a regex scan — most cues are in few descriptions."""
        if pattern is None:
            return False
        found = self._needles.get(id(pattern))
        return found is None or found.may_be_in(*index)

    def _refund_paid_said(self, text: str, index: tuple[set[str], set[str]] | None = None) -> list[re.Match[str]]:
        """Where the (normalised) text says the refund has gone out: a cue neither in the future in its
        clause ("还有一天就要超时自动退款了") nor asked about ("退款是原路返回吗？"). `index`: text_index(text)."""
        if not self._may_match(self._refund_paid, text_index(text) if index is None else index):
            return []
        return [m for m in self._refund_paid.finditer(text)
                if not _FUTURE.search(clause := _clause_before(text, m.start())) and not _feared(clause, m)
                and not _ASKED.match(text, m.end())]

    def without_refund_state(self, description: str) -> str:
        """The description with what it says of a refund already paid taken out ("超时了系统直接把298退给他了"),
        and that the request timed out ("没注意售后超时"): those words are not the problem with the return,
        and the classifier read them as a deadline."""
        text = normalise(description)
        kept, at = [], 0
        for m in self._refund_paid_said(text):
            kept.append(text[at:m.start()])
            at = m.end()
        return _TIMED_OUT.sub("，", "，".join(kept + [text[at:]]))

    def extract(self, description: str) -> Facts:
        text = normalise(description)
        whole = chars, pairs = text_index(text)
        index = chars, pairs & self._lexicon_pairs      # shared by the four lexicons; fewer runs to look up
        may = self._may_match
        items = self.items.find_all(text, index)
        # "买家说一次没用过": a condition denied where it is named is not one found
        conditions = list(dict.fromkeys(term for start, term, _w in sorted(self.conditions.find_all(text, index))
                                        if not _DENIED_BEFORE.search(text, max(0, start - 4), start)))
        # "怕他寄回来是空的": feared, not found
        instead = [i for i in self.received_instead.find_all(text, index) if not _FEARED.search(_clause_before(text, i[0]))]
        # "充电仓在 但是少了右耳": a part the merchant says is there — or says is faulty ("左耳没声音",
        # "背带断了") — is not what is missing
        accessories = [a for a in self.accessories.find_all(text, index)
                       if not _PRESENT.match(text, a[0] + len(a[2])) and not _FAULTY.match(text, a[0] + len(a[2]))]
        specific = [a for a in accessories if a[1] != "accessory"]     # 说明书 over 零件
        accessories = specific or accessories
        several = tuple(dict.fromkeys(a[1] for a in accessories))
        accessory_word = accessories[0][2] if accessories else None
        # "赠品是一个保温杯": the item named right after a gift cue is the gift, not the returned item
        for cue in self._gift_cue.finditer(text):
            named = [i for i in items if i[0] == cue.end()]
            if named:
                accessory_word = named[0][2]
                items = [i for i in items if i is not named[0]]
                break
        # "拆开是一双别家的运动鞋 我们卖的是帆布鞋": the item the shop sold is the case's item, not what came back
        for cue in _SOLD_CUE.finditer(text):
            named = [i for i in items if cue.end() <= i[0] <= cue.end() + 3]
            if named and named[0] is not items[0]:
                items = [named[0], *(i for i in items if i is not named[0])]
                break
        counted_unit = self._counted.search(text)
        count = _COUNT_BEFORE.search(text[max(0, items[0][0] - 6) : items[0][0]]) if items else None
        counted = next((i for i in items[1:] if _COUNT_BEFORE.search(text[max(0, i[0] - 6) : i[0]])), None)
        counted_count = _COUNT_BEFORE.search(text[max(0, counted[0] - 6) : counted[0]]) if counted and not count else None
        unit_said = (counted_count or count)
        time_frame = next((m.group(1) for p in self._time_frame for m in [p.search(text)] if m), None)
        pickup = self._pickup.search(text)
        stall_days = self._stall(text) if self._stall_in.search(text) else None
        # a count of days decides ("5天了一直没更新" is five days); words like 很久 only when none is given
        stall_long = (stall_days >= self.long_after_days) if stall_days is not None else \
            bool(may(self._stall_long, whole) and self._stall_long.search(text))
        conditions_found = tuple(conditions)
        goods = next((kind for kind, pattern in self._goods if may(pattern, whole) and self._affirmed(pattern, text)), None)
        if goods is None and (conditions_found or instead or accessories) and self._arrived.search(text):
            goods = "inspected"         # "退回来吊牌被剪了": what is wrong with it was seen, so it is back
        if goods is None and pickup:
            goods = "delivered"
        evidence = tuple(kind for kind, pattern in self._evidence if may(pattern, whole) and self._affirmed(pattern, text, True)) \
            if may(self._evidence_in, whole) and self._evidence_in.search(text) else ()
        fault = self._fault_of(text, whole)
        refund_paid = bool(self._refund_paid_said(text, whole))
        return Facts(
            item=items[0][1] if items else None,
            item_word=items[0][2] if items else None,
            item_count=count.group(1) if count else None,
            unit_word=unit_said.group(1).rstrip()[-1] if unit_said else (counted_unit.group(1) if counted_unit else None),
            accessories=several if len(several) > 1 else (),
            counted_word=counted[2] if counted and not count else None,
            asked_for=self._first(self._asked_for, text) if may(self._asked_in, whole) and self._asked_in.search(text) else None,
            accessory_word=accessory_word,
            time_frame=time_frame,
            pickup=pickup.group() if pickup else None,
            conditions=tuple(conditions),
            received_instead=instead[0][1] if instead else None,
            accessory=accessories[0][1] if accessories else None,
            fault=fault,
            carrier_said=fault == "carrier" and any(
                not _GUESSED.match(text, m.end()) for m in self._carrier_said.finditer(text)),
            # "平台已经自动退款了": the automatic refund has happened, no deadline is left to meet
            deadline_near=not refund_paid and may(self._deadline_near, whole) and bool(self._deadline_near.search(text)),
            refund_paid=refund_paid,
            **{name: may(pattern, whole) and _told(pattern, text) for name, pattern in self._cue_facts},
            goods=goods,
            evidence=evidence,
            stall_days=stall_days,
            stall_long=stall_long,
        )

    @staticmethod
    def _first(kinds: list[tuple[str, re.Pattern[str] | None]], text: str) -> str | None:
        for kind, pattern in kinds:
            if pattern is not None and pattern.search(text):
                return kind
        return None

    def _fault_of(self, text: str, index: tuple[set[str], set[str]]) -> str | None:
        """The first kind of fault (FAULTS order) the text states. An old address is the shop's only
        when it is not the buyer's ("签收的是买家以前的旧地址" is the buyer's old address)."""
        for kind, pattern in self._fault:
            if not self._may_match(pattern, index):
                continue
            if kind != "shop":
                if pattern.search(text):
                    return kind
                continue
            for match in pattern.finditer(text):
                if not _BUYERS_OWN.search(text, max(0, match.start() - 10), match.start()):
                    return kind
        return None

    def _affirmed(self, pattern: re.Pattern[str], text: str, ours: bool = False) -> bool:
        """A cue not negated next to it, nor feared: "有开箱视频" counts; "没有开箱视频", "开箱视频没录", "no video",
        "怕他寄回来是空的" do not.
        With `ours`, the merchant's own: "买家发了开箱视频" and "之后会开证明" do not count either."""
        for match in pattern.finditer(text):
            window = _NEGATION_WINDOW if not match.group()[:1].isascii() else _LATIN_NEGATION_WINDOW
            before = text[max(0, match.start() - window) : match.start()]
            after = text[match.end() : match.end() + 3]
            if (self._negation_in and self._negation_in.search(before)) or _NEGATED_AFTER.match(after) \
                    or _NEGATED_PAIR.search(text, max(0, match.start() - 30), match.start()) \
                    or _FEARED.search(_clause_before(text, match.start())):        # "怕他寄回来是空的"
                continue
            if ours and (self._not_ours.search(text[max(0, match.start() - _OWNER_WINDOW) : match.start()])
                         or _NEGATED_INSIDE.search(match.group()) or _PROMISED_INSIDE.search(match.group())):
                continue
            return True
        return False

    def _stall(self, text: str) -> int | None:
        for pattern in self._stall_days:
            match = pattern.search(text)
            if match and _WEEK.search(match.group()):
                return 7
            if match:
                for group in match.groups():
                    if group:
                        value = _number(group)
                        if value is not None:
                            return value
        return None

    # ---- names for drafts ---------------------------------------------
    def item_of(self, word: str | None) -> str | None:
        """The item id a word names, if the lexicon knows it."""
        found = self.items.find_all(word) if word else []
        return found[0][1] if found else None

    def in_words(self, word: str | None, locale: str, english: str | None = None) -> str | None:
        """The merchant's own word for a draft in `locale`: as written for Chinese packs (Traditional for
        zh_TW), the lexicon's English name (`english`) for an English draft of a Chinese word."""
        if not word:
            return None
        chinese = any("\u4e00" <= ch <= "\u9fff" for ch in word)
        if locale == "en":
            return english if chinese else word
        if not chinese or any(ch.isascii() and ch.isalpha() for ch in word):
            return None         # an English word, or "t恤" lower-cased by the normaliser: the lexicon's name reads better
        return word if locale == "zh_CN" else _to_taiwan().convert(word)

    def unit(self, item: str | None, locale: str, said: str | None = None) -> str:
        """The measure word for counting the item in Chinese ("3双鞋子"): the one the merchant used, the
        item's own, else 件; "" in English."""
        if locale == "en":
            return ""
        if said:
            return self.in_words(said, locale) or said
        term = self.items.terms.get(item) if item else None
        return (term.unit.get(locale) if term else None) or "件"

    def name(self, kind: str, term_id: str | None, locale: str) -> str | None:
        lexicon = {"item": self.items, "accessory": self.accessories, "condition": self.conditions,
                   "received_instead": self.received_instead}[kind]
        term = lexicon.terms.get(term_id) if term_id else None
        return term.names[locale] if term else None


@lru_cache(maxsize=1)
def _to_taiwan() -> opencc.OpenCC:
    return opencc.OpenCC("s2twp")


@lru_cache(maxsize=1)
def default_fact_extractor() -> FactExtractor:
    return FactExtractor()


__all__ = ["Facts", "FactExtractor", "default_fact_extractor", "FAULTS", "GOODS", "EVIDENCE"]
