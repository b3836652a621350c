"""Slot extraction: tracking number, carrier, amount, quantity and order number.

A slot is reported only when the description states it; nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.engine.catalogue import Catalogue
from bot.engine.normalise import clean_and_normalise, to_simplified
from bot.engine.numerals import NUMERAL_CHARS, parse_number
from bot.engine.pattern_starts import any_of

# Digits are ASCII 0-9 throughout (after NFKC, full-width digits are too): \d would also take
# Arabic-Indic and other digits that float() reads but no tracking number or amount uses.
# Runs of letters/digits, possibly split by single spaces or hyphens ("sf 2234 5678 9012 3").
_CODE_CHUNK = re.compile(r"[A-Z0-9]+")
# Chunks joined into one number: a single space or hyphen, then a chunk of digits only (_code_candidates).
_JOINED_CHUNKS = re.compile(r"[A-Z0-9]+(?:[ -][0-9]+(?![A-Z0-9]))*")
_PHONE = re.compile(r"^1[3-9][0-9]{9}$")
_TRACKING_LABEL = re.compile(r"(单号|运单|快递单|物流单|物流号|快递号|物流编号|面单|tracking|waybill|awb)\s*(号|number|no\.?|#)?\s*[:：是为]?\s*$", re.I)
_ORDER_LABEL = re.compile(r"(订单|order)\s*(号|编号|number|no\.?|id|#)?\s*[:：是为]?\s*$", re.I)
_LABEL_WINDOW = 20      # "tracking number: " and "退货快递单号是" both fit
_MIN_ORDER_DIGITS = 18      # WeChat Shop order numbers are 19 digits; no carrier pattern is that long
_MIN_LABELLED_CODE = 8
_MIN_CODE = 6               # the shortest labelled order number
_MAX_CODE = 32              # longer runs are no order or tracking number (a 100 000-digit "order id" broke the drafts)

MEASURE_WORDS = "件个双条只盒瓶套包支台把张副顶本袋箱份罐片对"   # 量词 after a count of items
# A number starts where its run starts (the lookbehinds): trying every position inside a long digit run
# made these patterns quadratic on 100 000-digit input, and a match inside a run implies one at its start.
_NUM = rf"((?<![0-9])[0-9]+|(?<![{NUMERAL_CHARS}])[{NUMERAL_CHARS}]+)"
# Leads a pattern that starts with a number: the lookbehinds hide its first characters from the regex
# engine, which then tries the whole pattern at every position; this passes over the others at once.
_NUMBER_AHEAD = rf"(?=[0-9{NUMERAL_CHARS}])"
_EN_NUM = r"([0-9]+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"

# "买了4件只退回1件" / "申请退3件，收到2件": how many were applied for and how many came back.
_APPLIED_VS_RECEIVED = re.compile(
    rf"(?:买了?|购买了?|下单了?|申请(?:退货|退款|退)?了?|退货申请|应退|要退|退|寄了|发了)\s*{_NUM}\s*[{MEASURE_WORDS}]"
    rf"[^。；;!！?？]{{0,12}}?(?:只|仅|才|就|但|实际|结果)?\s*(?:退回|寄回|收到|回来|到了|退了|寄了|寄来|送到|送来)了?\s*{_NUM}\s*[{MEASURE_WORDS}]"
)
# "退回来只有2件 买家申请的是3件": how many came back, then how many were applied for.
_RECEIVED_VS_APPLIED = re.compile(
    rf"(?:退回|寄回|收到|回来|寄来|送来)来?了?的?\s*(?:只有|只|仅|才|就|共)?\s*{_NUM}\s*[{MEASURE_WORDS}]"
    rf"[^。；;!！?？]{{0,12}}?(?:申请(?:退货|退款|退)?|购买|买|下单|订|应退|要退)(?:的是|的|了)?\s*{_NUM}\s*[{MEASURE_WORDS}]"
)
_MISSING_CN = [
    # 漏 alone also means "leak" (漏了一箱): only 漏寄 / 漏发 / 漏放 / 漏装 count
    re.compile(rf"(?:(?:少|缺|差)(?:了|寄|发|退|收)?|漏(?:寄|发|放|装|退))(?:了)?\s*{_NUM}\s*[{MEASURE_WORDS}]"),
    re.compile(rf"{_NUMBER_AHEAD}{_NUM}\s*[{MEASURE_WORDS}](?:没有?|未)(?:寄|退|收到|寄回|退回|放)"),
    re.compile(rf"(?:还有|另外|剩下的?)\s*{_NUM}\s*[{MEASURE_WORDS}](?:没|未)"),
]
_APPLIED_VS_RECEIVED_EN = re.compile(
    rf"\b(?:only|just)\s+{_EN_NUM}\s+(?:of|out of)\s+(?:the\s+)?{_EN_NUM}\b|\b{_EN_NUM}\s+(?:items?|pieces?|pairs?|units?)?\s*(?:ordered|bought|applied for|purchased)\b[^.;!?]{{0,30}}?\bonly\s+{_EN_NUM}\b",
    re.I,
)
_MISSING_EN = [
    re.compile(rf"\bmissing\s+{_EN_NUM}\b", re.I),
    re.compile(rf"\b{_EN_NUM}\s+(?:items?|pieces?|pairs?|units?|bottles?|boxes?|of them)?\s*(?:are|were|is|was)?\s*missing\b", re.I),
    re.compile(rf"\b{_EN_NUM}\s+(?:[a-z]+\s+){{1,4}}(?:are|were|is|was)\s+missing\b", re.I),
    re.compile(rf"\bshort\s+(?:by\s+)?{_EN_NUM}\b", re.I),
    re.compile(rf"\b{_EN_NUM}\s+(?:items?|pieces?|pairs?|units?)\s+short\b", re.I),
    re.compile(rf"\b{_EN_NUM}\s+(?:[a-z]+\s+){{0,2}}short\b", re.I),          # "came back one mug short"
]
# Whether any Chinese count of missing items is there, in one scan: most texts have none.
_ANY_QUANTITY_CN = any_of([_APPLIED_VS_RECEIVED, _RECEIVED_VS_APPLIED, *_MISSING_CN])
# The word each English pattern above cannot match without (as re.I reads it): one scan for them
# spares the patterns whose word is absent. (_APPLIED_VS_RECEIVED_EN: "only" or "just"; then
# "missing", "short".) No two of the words overlap, so the scan finds every one there is.
_EN_QUANTITY_WORDS = re.compile(r"(only|just)|(missing)|(short)", re.I)
_MISSING_EN_BY_WORD = ((2, _MISSING_EN[:3]), (3, _MISSING_EN[3:]))

_AMOUNT_NUMBER = rf"((?<![0-9,])[0-9]{{1,3}}(?:,[0-9]{{3}})+(?:\.[0-9]{{1,2}})?(?![0-9])|(?<![0-9])[0-9]+(?:\.[0-9]{{1,2}})?|(?<![{NUMERAL_CHARS}])[{NUMERAL_CHARS}]+)"   # "1,280 rmb" is 1280
# What happens to a piece of the goods, just before its count ("凹了一块", "缺一块", "磕掉两块").
_NOT_A_PIECE = "".join(f"(?<!{verb})" for verb in ("凹了", "缺了", "掉了", "破了", "磕了", "碎了", "裂了", "烂了", "焦了", "黑了", "黄了", "脏了",
                                                     "湿了", "糊了", "烧了", "花了", "秃了", "凹", "缺", "掉", "磕", "焦",
                                                     "碎成", "摔成", "裂成", "断成", "掰成", "压成"))
_AMOUNTS = [
    re.compile(r"(?:扣除?|少退|deduct(?:ing)?)\s*([0-9]+(?:\.[0-9]{1,2})?)(?![0-9.%a-z件个双])", re.I),   # "想扣40", "deduct 40"
    # "refund 60 instead of 120" — not a count ("paid for 4 only 3 in the bag… should i refund 3"): two digits at least
    re.compile(r"(?<![a-z])refund(?:ing)? (?:of |to |only |just )*([0-9]{2,}(?:\.[0-9]{1,2})?|[0-9]\.[0-9]{1,2})(?![0-9.%])", re.I),
    re.compile(r"(?:¥|￥|rmb|cny|人民币)\s*([0-9]+(?:,[0-9]{3})*(?:\.[0-9]{1,2})?)", re.I),
    # 块 is also a measure word ("两块砖头", "一块肥皂"): money only when nothing but punctuation or a
    # particle follows it, and not a piece of the goods ("凹了一块", "掉了两块漆")
    re.compile(rf"{_NUMBER_AHEAD}{_NOT_A_PIECE}{_AMOUNT_NUMBER}\s*(?:元|块钱|块(?=$|[\s,，.。!！?？;；:：、)）0-9]|吧|呢|啊|了|的|左右|多|钱)|rmb|yuan|cny)", re.I),
    # a bare figure right after a refund verb: "想部分退款退200", "退款改成66" (not "退4件", "退了3天")
    re.compile(r"(?:只退|退款?(?:改成|改为|改到)?|退了|(?<!名)改成|改为)\s*([0-9]{1,6}(?:\.[0-9]{1,2})?)(?![0-9.%a-z件个双条只台套盒箱瓶支张罐包把副顶本袋份片对天号月日次周年]|,[0-9]{3}|小时|分钟|个(?:小时|月|星期|礼拜))", re.I),
]
_ANY_AMOUNT = any_of(_AMOUNTS, re.I)       # whether any is there, in one scan (all of them are re.I)
# A figure with no refund word before it, right after an order number, is the order's price.
_AFTER_AN_ORDER_NUMBER = re.compile(r"\d{12,}\s*[,，、:：]?\s*(?:金额|价格|售价|实付|付了|¥|￥)?\s*$")
_PRICE = "price"
# What the buyer asked for ("他全额要退1250元", "申请全额退款人民币399", "wants a full refund of 259 RMB"): the
# refund applied for — the order's value — never the amount to propose in its place.
_ASKED_BY_BUYER = re.compile(r"(?:((申请|要求?)(了)?)?(全额|全部|全款)(要|要求)?退?(款|钱)?|要求?退(款)?|申请(了)?(退款)?(金额)?|要全退|要退全款"
                             r"|(wants?|wanted|asking for|asked for|requests?|requested|requesting|applied for)( the| a)?( full)?( refund( of)?)?"
                             r"|full refund( of)?|refund (is|was|would be)( like| about| around| roughly)?"
                             r")\s*(人民币|rmb|cny|¥|￥)?\s*$", re.I)
_FIGURE = re.compile(r"[0-9][0-9.,]*")
# After a figure, the item it is the price of ("599元的羽绒服"), not a fee or a share of the money ("50的运费").
_PRICE_OF_ITEM = re.compile(r"\s*(元|块钱|块|rmb|cny|¥|人民币)?\s*的(?!运费|邮费|差价|钱|款|部分|补偿|红包|退款|金额|价|费|话|时候)[\u4e00-\u9fff]", re.I)
# "3200块啊 现在买家还要我全退": the figure the buyer wants in full is the price, not a refund to propose
_FULL_REFUND_AFTER = re.compile(r"[^。！？!?]{0,16}?(全退|全额退|全额退款|退全款|要全款|全部退)")
_NAMED_JUST_BEFORE = re.compile(r"[a-z]{3,}\s*$", re.I)    # an item named in English, then its figure ("smart watch 699rmb")
_AMOUNT_CUE = re.compile(r"(扣|退|补|赔|少退|只退|改成|改为|改到|部分退款|金额|refund|deduct|compensat|partial)", re.I)
# "扣20" / "少退20" / "deduct 20": the figure is taken off the refund, not the refund itself.
_DEDUCTION_CUE = re.compile(r"(扣除?|少退|减去?|deduct(?:ing|ion)?|minus|knock(?:ing)? off|take off|taking off|less)\s*(?:了|掉)?\s*(?:人民币|rmb|cny|¥|￥)?\s*$", re.I)
AMOUNT_KINDS = ("refund", "deduction")
MAX_COUNT = 10_000          # a count of goods missing is below this ("only 0 of the 10000" is no count)


@dataclass(frozen=True)
class _Code:
    text: str       # upper-case, no separators
    start: int
    end: int


def _code_candidates(text: str) -> list[_Code]:
    """Joinable runs of letter/digit chunks that could be an order or tracking number, longest first
    from each starting chunk. Shorter than 6, longer than 32 or without a digit, a run is neither."""
    upper = text.upper()
    found: list[_Code] = []
    # A chunk joins the next when a single space or hyphen separates them and the next is digits: a
    # number typed in groups ("SF 2234 5678 9012 3"), never the words around it ("for the return YT…").
    # _JOINED_CHUNKS finds each chain of joined chunks at once; most are one word, without a digit.
    for chain in _JOINED_CHUNKS.finditer(upper):
        words = chain.group()
        if words.isalpha() or len(words) < _MIN_CODE:
            continue            # letters only (a joined chunk is digits), or too short to be a code
        spans = [(m.start(), m.end()) for m in _CODE_CHUNK.finditer(upper, chain.start(), chain.end())]
        for i, (start, _end) in enumerate(spans):
            parts: list[str] = []
            length, has_digit, options = 0, False, []
            for j in range(i, min(i + 6, len(spans))):
                chunk = upper[spans[j][0] : spans[j][1]]
                length += len(chunk)
                if length > _MAX_CODE:
                    break
                parts.append(chunk)
                has_digit = has_digit or not chunk.isalpha()    # a chunk is letters and digits only
                if length >= _MIN_CODE and has_digit:
                    options.append(_Code("".join(parts), start, spans[j][1]))
            found.extend(reversed(options))
    return found


def _labelled(text: str, start: int, label: re.Pattern[str]) -> bool:
    return bool(label.search(text[max(0, start - _LABEL_WINDOW) : start]))


class SlotExtractor:
    def __init__(self, catalogue: Catalogue):
        self._carriers = list(catalogue.carriers.values())
        aliases = sorted(
            ((alias, c.id) for c in self._carriers for alias in c.aliases), key=lambda a: -len(a[0])
        )
        parts = []
        for alias, _ in aliases:
            escaped = re.escape(alias)
            parts.append(rf"(?<![a-z]){escaped}(?![a-z])" if alias.isascii() else escaped)
        # Led by a lookahead on the aliases' first characters: a position no alias starts at is passed
        # over at once rather than trying every alias there (the same matches).
        ahead = f"(?=[{''.join(re.escape(ch) for ch in sorted({alias[0] for alias, _ in aliases}))}])" \
            if all(alias for alias, _ in aliases) else ""
        self._alias_re = re.compile(f"{ahead}(?:{'|'.join(parts)})") if parts else None
        self._alias_to_id = dict(aliases)
        self._alias_found = any_of([self._alias_re]) if self._alias_re else None    # most texts name no carrier
        # "韵达4312345678901": a number right after a carrier's name is that carrier's waybill
        self._carrier_label = re.compile(rf"(?:{'|'.join(parts)})\s*(?:快递|速递|物流)?\s*(?:单号|运单号?)?\s*[:：]?\s*$") if parts else None

    def carriers_for_number(self, number: str) -> list[str]:
        return [c.id for c in self._carriers if c.pattern.match(number)]

    def extract(self, description: str) -> dict[str, object]:
        return self.extract_details(description)[0]

    def extract_details(self, description: str) -> tuple[dict[str, object], str | None]:
        """The slots, and whether the amount is a refund or a deduction from it (None: no amount)."""
        text, simplified = clean_and_normalise(description)
        slots: dict[str, object] = {}
        tracking, order_id = self._codes(text)
        if tracking:
            slots["tracking_number"] = tracking
        carrier = self._carrier(simplified, tracking)
        if carrier:
            slots["carrier"] = carrier
        amount, amount_kind = self._amount(simplified)
        if amount_kind == _PRICE:       # the order's price, not a refund to propose: the goods' value
            slots["value"], amount, amount_kind = amount, None, None
        if amount is not None:
            slots["amount"] = amount
        quantity = self._quantity(simplified)
        if quantity is not None:
            slots["quantity"] = quantity
        if order_id:
            slots["order_id"] = order_id
        return slots, amount_kind

    def _codes(self, text: str) -> tuple[str | None, str | None]:
        tracking: tuple[int, str] | None = None   # (rank, number): letter-prefixed beats labelled beats digit match
        order_id: str | None = None
        taken_until = -1
        for code in _code_candidates(text):
            if code.start < taken_until:
                continue
            value = code.text
            is_order_label = _labelled(text, code.start, _ORDER_LABEL)
            if value.isdigit() and (is_order_label or len(value) >= _MIN_ORDER_DIGITS) and len(value) >= 6:
                if order_id is None and not _PHONE.match(value):
                    order_id = value
                    taken_until = code.end
                continue
            if _PHONE.match(value):
                continue
            matches = self.carriers_for_number(value)
            rank = None
            if matches and not value.isdigit():
                rank = 0
            elif (_labelled(text, code.start, _TRACKING_LABEL) or self._after_carrier(text, code.start)) \
                    and len(value) >= _MIN_LABELLED_CODE and any(ch.isdigit() for ch in value):
                rank = 1
            elif matches:
                rank = 2
            if rank is not None:
                taken_until = code.end
                if tracking is None or rank < tracking[0]:
                    tracking = (rank, value)
        return (tracking[1] if tracking else None), order_id

    def _after_carrier(self, text: str, start: int) -> bool:
        window = to_simplified(text[max(0, start - _LABEL_WINDOW) : start].lower())
        return bool(self._carrier_label and self._carrier_label.search(window))

    def _carrier(self, simplified: str, tracking: str | None) -> str | None:
        named: list[str] = []
        if self._alias_re and self._alias_found.search(simplified):
            for match in self._alias_re.finditer(simplified):
                cid = self._alias_to_id[match.group()]
                if cid not in named:
                    named.append(cid)
        by_number = self.carriers_for_number(tracking) if tracking else []
        if named:
            consistent = [cid for cid in named if cid in by_number]
            return consistent[0] if consistent else named[0]
        if len(by_number) == 1:
            return by_number[0]
        return None

    @staticmethod
    def _amount(text: str) -> tuple[float | None, str | None]:
        if not _ANY_AMOUNT.search(text):
            return None, None
        found: list[tuple[int, float]] = []
        for pattern in _AMOUNTS:
            for match in pattern.finditer(text):
                if text[match.start(1) - 1 : match.start(1)] == "几":     # "几十块的杂牌": a rough figure, not an amount
                    continue
                value = parse_number(match.group(1).replace(",", ""))
                if value is None or value <= 0 or value > 1_000_000:
                    continue
                found.append((match.start(1), value))      # where the figure starts: cues are read before it
        if not found:
            return None, None
        found.sort()
        chosen = found[0]
        for start, value in found:
            if _AMOUNT_CUE.search(text[max(0, start - 6) : start]):
                chosen = (start, value)
                break
        start, value = chosen
        if chosen is found[0] and not _AMOUNT_CUE.search(text[max(0, start - 6) : start]) \
                and _AFTER_AN_ORDER_NUMBER.search(text[max(0, start - 24) : start]):
            return round(value, 2), _PRICE          # "订单号3729104857362819，229块"
        figure = _FIGURE.match(text, start)
        if figure and _PRICE_OF_ITEM.match(text, figure.end()):
            return round(value, 2), _PRICE          # "一件599元的羽绒服": what the item cost, not a refund to propose
        if _ASKED_BY_BUYER.search(text[max(0, start - 32) : start]) or _FULL_REFUND_AFTER.match(text, start):
            return round(value, 2), _PRICE          # "他全额要退1250元": what the buyer applied for
        if not _AMOUNT_CUE.search(text) and _NAMED_JUST_BEFORE.search(text[max(0, start - 16) : start]):
            return round(value, 2), _PRICE          # "smart watch 699rmb", no refund spoken of: what it cost
        kind = "deduction" if _DEDUCTION_CUE.search(text[max(0, start - 8) : start]) else "refund"
        return round(value, 2), kind

    @staticmethod
    def _quantity(text: str) -> int | None:
        if _ANY_QUANTITY_CN.search(text):
            for pattern, applied_first in ((_APPLIED_VS_RECEIVED, True), (_RECEIVED_VS_APPLIED, False)):
                match = pattern.search(text)
                if match:
                    first, second = parse_number(match.group(1)), parse_number(match.group(2))
                    applied, received = (first, second) if applied_first else (second, first)
                    if applied is not None and received is not None and 0 < applied - received < MAX_COUNT:
                        return int(applied - received)
            count = _first_count(_MISSING_CN, text)
            if count is not None:
                return count
        words = {m.lastindex for m in _EN_QUANTITY_WORDS.finditer(text)}
        match = _APPLIED_VS_RECEIVED_EN.search(text) if 1 in words else None
        if match:
            groups = [g for g in match.groups() if g]
            if len(groups) == 2:
                a, b = parse_number(groups[0]), parse_number(groups[1])
                # "only 1 of the 3" names received first; "3 ordered ... only 1" names applied first
                received, applied = (a, b) if match.group(1) else (b, a)
                if applied is not None and received is not None and 0 < applied - received < MAX_COUNT:
                    return int(applied - received)
        for word, patterns in _MISSING_EN_BY_WORD:
            count = _first_count(patterns, text) if word in words else None
            if count is not None:
                return count
        return None


def _first_count(patterns, text: str) -> int | None:
    """The count the first matching pattern names (its group 1), when it is a plausible one."""
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            value = parse_number(match.group(1))
            if value and 0 < value < MAX_COUNT:
                return int(value)
    return None
