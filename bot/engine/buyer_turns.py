"""The buyer's own words in what a merchant pastes: a bare message, or a chat with turns.

A pasted chat may carry the merchant's lines ("我:", "商家:", "客服:", "Me:", "Seller:") and header
lines with a name and a time ("买家小王 2024-11-02 14:31", "客服小美 11/05 20:14"). Lines after a
header or a speaker label belong to that speaker until the next one. The buyer's words are the
latest run of buyer turns (the lines of no known speaker count as the buyer's); a text with no
speaker at all is the buyer's as a whole.
"""

from __future__ import annotations

import re

from bot.engine.normalise import clean

_INVISIBLE = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ud800-\udfff]")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")

MERCHANT = "merchant"
BUYER = "buyer"

_MERCHANT_ROLE = re.compile(r"^(?:我方|我|商家|卖家|賣家|客服|店家|店主|店长|店長|掌柜|掌櫃|本店|官方|小店|"
                            r"me|seller|merchant|shop|store|support|agent|staff|cs)(?![a-z])", re.I)
_BUYER_ROLE = re.compile(r"^(?:买家|買家|顾客|顧客|客户|客戶|用户|用戶|对方|對方|消费者|消費者|"
                         r"buyer|customer|client|user)(?![a-z])", re.I)
_TIMESTAMP = re.compile(
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"|\d{1,2}\s*[/月]\s*\d{1,2}\s*日?(?=\s|$|[\])】])"
    r"|(?:上午|下午|晚上|凌晨|中午)?\s*\d{1,2}:\d{2}(?::\d{2})?\s*(?:am|pm)?",
    re.I)
_LABEL = re.compile(r"^\s*[\[【(（]?\s*([^:：\n]{1,20}?)\s*[\]】)）]?\s*(?<![0-9])[:：]\s*(.*)$")
_BRACKETED_TIME = re.compile(r"^\s*[\[【(（]\s*[^\]】)）]{0,30}[\]】)）]\s*")
_SENTENCE = re.compile(r"[，,。？?！!；;]")
_MAX_LINES = 400
# A speaker label in the middle of a line ("…可以吗？ 买家：不行"): the paste lost its line breaks.
_INLINE_LABEL = re.compile(r"(?<=[\s。？！?!，,])(?=(?:我|商家|卖家|賣家|客服|店家|买家|買家|顾客|顧客|me|seller|buyer|customer)\s*[:：])", re.I)
# A name and a time opening a line that goes on with what was said ("买家小王 2024-11-02 14:31 好的").
_HEADER_THEN_TEXT = re.compile(r"^(.{0,24}?\s*(?:\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{1,2}/\d{1,2})?\s*"
                               r"(?:上午|下午|晚上|凌晨|中午)?\s*\d{1,2}:\d{2}(?::\d{2})?\s*(?:am|pm)?)\s+(\S.*)$", re.I)


def _speaker_of(name: str) -> str | None:
    name = name.strip(" -—·•[]【】()（）")
    if _MERCHANT_ROLE.match(name):
        return MERCHANT
    if _BUYER_ROLE.match(name):
        return BUYER
    return None


def _header(line: str) -> str | None:
    """A header line (a name and a time, nothing said): its speaker, BUYER for an unknown name."""
    if not _TIMESTAMP.search(line):
        return None
    rest = _TIMESTAMP.sub(" ", line).strip(" -—·•[]【】()（）:：")
    if len(rest) > 24 or _SENTENCE.search(rest):
        return None
    return _speaker_of(rest) or BUYER


def _labelled(line: str) -> tuple[str, str] | None:
    """A line opened by a speaker label ("商家：…", "[14:31] 买家小王: …"): (speaker, what was said)."""
    had_time = bool(_BRACKETED_TIME.match(line))
    body = _BRACKETED_TIME.sub("", line, count=1)
    match = _LABEL.match(body)
    if not match:
        return None
    name = _TIMESTAMP.sub(" ", match.group(1)).strip()
    speaker = _speaker_of(name)
    if speaker is None and had_time and name and not _SENTENCE.search(name) and len(name) <= 12:
        speaker = BUYER
    return (speaker, match.group(2)) if speaker else None


def buyer_words(text: str) -> str:
    """The buyer's latest words as typed (spaces trimmed), one line per line of the paste."""
    lines = text.splitlines()[-_MAX_LINES:] if text.count("\n") > _MAX_LINES else text.splitlines()
    turns: list[tuple[str | None, list[str]]] = []
    structured = False
    pieces = [piece for raw in lines for piece in _INLINE_LABEL.split(raw)]
    for raw in pieces:
        line = _SPACES.sub(" ", _INVISIBLE.sub("", raw)).strip()   # the buyer's own characters, kept
        if not clean(line):
            continue
        opened = _HEADER_THEN_TEXT.match(line)
        if opened and _TIMESTAMP.split(opened.group(1), maxsplit=1)[0].strip(" -—·•[]【】()（）") and not _LABEL.match(line):
            structured = True      # a name, a time, then what was said
            turns.append((_header(opened.group(1)) or BUYER, [opened.group(2)]))
            continue
        labelled = _labelled(line)
        if labelled is not None:
            structured = True
            speaker, said = labelled
            turns.append((speaker, [said] if said.strip() else []))
            continue
        speaker = _header(line)
        if speaker is not None:
            structured = True
            turns.append((speaker, []))
            continue
        if not turns:
            turns.append((None, []))
        turns[-1][1].append(line)
    if not structured:
        return "\n".join(line for _speaker, said in turns for line in said)
    chosen: list[list[str]] = []
    for speaker, said in reversed(turns):
        if speaker == MERCHANT:
            if chosen and any(chosen):
                break
            continue
        chosen.append(said)
    words = "\n".join(line for said in reversed(chosen) for line in said)
    if words:
        return words
    # a header-like line with nothing else (e.g. "14:31 好的"): read the paste as it is
    return "\n".join(_SPACES.sub(" ", _INVISIBLE.sub("", raw)).strip() for raw in pieces if clean(raw))
