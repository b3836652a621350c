"""Details a buyer's answer states beside its stance: the money figure it proposes or accepts, and
the date or time words it uses. (Tracking numbers and carriers come from bot/engine/slots.py.)"""

from __future__ import annotations

import re

from bot.engine.normalise import clean
from bot.engine.numerals import parse_number

# Money figures in an answer: "退我80就行", "最多扣10", "至少五十块", "make it 100", "80 bucks".
_FIGURE = re.compile(r"(?<![0-9a-z.])([0-9]{1,6}(?:\.[0-9]{1,2})?)(?![0-9]|\.[0-9])|([零一二两三四五六七八九十百千]+)(?=\s*(?:块|元|塊)|$|[吧呢啊,，。!！?？\s])")
_MONEY_BEFORE = re.compile(r"(?:退|扣|补|赔|偿|至少|最少|最多|顶多|只能|接受|¥|￥|rmb|cny|refund|deduct|back|make it|do|give me|take|accept|at least|at most|only|off|\$|个|點|点)\s*(?:我|给我|了|掉|个|款|me|us)?\s*$", re.I)
_MONEY_AFTER = re.compile(r"^\s*(?:元|块|塊|yuan|rmb|cny|bucks|dollars|back|off|吧|就行|就好|就可以|可以|行|我就|and)", re.I)
_NOT_MONEY_AFTER = re.compile(r"^\s*(?:%|％|件|个|個|双|雙|条|條|只|天|号|號|月|日|点|點|小时|分钟|次|days?|hours?|pcs|items?|[:：/-][0-9])", re.I)
_REJECTED_AFTER = re.compile(r"^\s*(?:元|块|塊|yuan)?\s*(?:太少|太多|(?<!行)不行|不可以|不接受|不同意|也太|is too|too|not enough|won't|no way)", re.I)
_REJECTED_BEFORE = re.compile(r"(?:不同意扣|不接受扣|不要扣|not|instead of|rather than|而不是)\s*(?:扣|退)?\s*$", re.I)
_DEDUCTION_BEFORE = re.compile(r"(?:扣除?|(?<!最)(?<!至)少退|减|deduct|minus|take|knock)\s*(?:我|掉|了|个|only|just)?\s*(?:¥|￥|rmb)?\s*$|最多扣\s*$", re.I)
_BARE_FIGURE = re.compile(r"^(?:那|那就|就|那么|要|给我|给|okay|ok|then|how about|what about)?\s*[,，]?\s*(?:¥|￥|\$)?\s*"
                          r"([0-9]{1,6}(?:\.[0-9]{1,2})?)\s*(?:元|块|塊)?\s*(?:吧|呢|啊|行吗|行不行|可以吗|怎么样|\?|？|then)?$", re.I)
# A figure said to be refunded ("退我80", "refund me 60"); without this or a deduction cue the kind is
# not stated ("60可以") and the case's own kind applies.
_REFUND_BEFORE = re.compile(r"(?:退|返|赔|补偿|refund|back|give me|pay)\s*(?:我|给我|款|了|me|us)?\s*(?:¥|￥|rmb|cny|\$)?\s*$", re.I)
_SAME_FIGURE_TWICE = re.compile(r"(?<![0-9.])([0-9]{1,6})\s*就\s*\1(?![0-9])")
_DEDUCTION_AFTER = re.compile(r"^\s*(?:元|块钱?|块|塊|yuan|rmb)?\s*(?:off|运费|的运费)", re.I)
_DATE = re.compile(
    r"大后天|大後天|后天|後天|明天|明早|今天|今晚|昨天|前天|下(?:个)?(?:周|週|星期|礼拜|禮拜)[一二三四五六日天]?|"
    r"(?:周|週|星期|礼拜|禮拜)[一二三四五六日天]|[0-9一二三四五六七八九十]{1,3}\s*月\s*[0-9一二三四五六七八九十]{1,3}\s*[日号號]|"
    r"[0-9]{1,2}\s*[号號]|(?:上午|下午|晚上|中午|今晚)?[0-9一二三四五六七八九十]{1,2}\s*[点點](?!钱|錢|儿|兒)(?:前|之前|以前)?|[0-9]+\s*(?:个|個)?小[时時](?:内|內|之内|之內)?|[0-9一二三四五六七八九十两兩]+\s*(?:个)?(?:天|個工作天|个工作日|個工作日|工作日)(?:内|內|之内|之內)?|"
    r"\b(?:tomorrow|today|tonight|yesterday|next (?:week|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]* [0-9]{1,2}(?:st|nd|rd|th)?|"
    r"[0-9]{1,2}(?:st|nd|rd|th)? (?:of )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*|"
    r"(?:in|within) [0-9a-z]+ (?:business |working )?days?)\b",
    re.I)


TURNED_DOWN = (None, None)   # money_figure(): figures were named, and every one of them turned down


def money_figure(normalised: str, tracking: object = None) -> tuple[float, str | None] | None:
    """The figure the buyer proposes or accepts, and whether it is a refund or a deduction: the first
    figure with a money word around it that the buyer does not turn down ("50太少了，80吧" -> 80)."""
    candidates: list[tuple[bool, float, str]] = []   # (turned down, value, kind)
    for match in _FIGURE.finditer(normalised):
        token = match.group(1) or match.group(2)
        begin, end = match.span()
        before, after = normalised[max(0, begin - 12): begin], normalised[end: end + 8]
        if _NOT_MONEY_AFTER.match(after) or (tracking and token in str(tracking)):
            continue
        if not (_MONEY_BEFORE.search(before) or _MONEY_AFTER.match(after)):
            continue
        value = parse_number(token)
        if not value or value <= 0 or value > 1_000_000:
            continue
        turned_down = bool(_REJECTED_AFTER.match(after) or _REJECTED_BEFORE.search(before))
        kind = ("deduction" if _DEDUCTION_BEFORE.search(before) or _DEDUCTION_AFTER.match(after)
                else "refund" if _REFUND_BEFORE.search(before) else None)
        candidates.append((turned_down, round(value, 2), kind))
    if not candidates:
        twice = _SAME_FIGURE_TWICE.search(normalised)      # "50就50": taking that figure
        if twice:
            return float(twice.group(1)), None
        bare = _BARE_FIGURE.match(normalised.strip())     # "那280", "就90吧": a whole answer that is a figure
        value = parse_number(bare.group(1)) if bare else None
        return (round(value, 2), None) if value and 0 < value <= 1_000_000 else None
    accepted = [c for c in candidates if not c[0]]
    if not accepted:
        return TURNED_DOWN      # "扣100太多了吧": the only figure is the one turned down
    return accepted[0][1], accepted[0][2]


def date_words(text: str) -> str | None:
    """The first date or time words, as written ("明天", "12月3日", "下周一", "tomorrow")."""
    text = clean(text)
    spans: list[list[int]] = []
    for match in _DATE.finditer(text):
        if spans and match.start() - spans[-1][1] <= 1:      # "明天下午3点前": one date, told in parts
            spans[-1][1] = match.end()
        elif spans:
            break
        else:
            spans.append([match.start(), match.end()])
    return text[spans[0][0]: spans[0][1]].strip() if spans else None
