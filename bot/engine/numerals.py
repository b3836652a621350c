"""Chinese and Arabic numerals as merchants write them: 两, 十二, 3, 一百二十."""

from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
NUMERAL_CHARS = "".join(_DIGITS) + "".join(_UNITS)
ENGLISH_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "a": 1, "an": 1, "single": 1, "a pair": 1, "both": 2,
}


def parse_number(token: str) -> float | None:
    """Parse '3', '3.5', '两', '十二', '一百零五', 'three'; None when it is not a number."""
    token = token.strip()
    if not token:
        return None
    if token.lower() in ENGLISH_NUMBERS:
        return float(ENGLISH_NUMBERS[token.lower()])
    try:
        return float(token)
    except ValueError:
        pass
    if any(ch not in _DIGITS and ch not in _UNITS for ch in token):
        return None
    total, section, digit = 0, 0, None
    for ch in token:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
            continue
        unit = _UNITS[ch]
        if unit == 10000:
            total += (section + (digit or 0)) * unit
            section, digit = 0, None
        else:
            section += (1 if digit is None else digit) * unit
            digit = None
    return float(total + section + (digit or 0))
