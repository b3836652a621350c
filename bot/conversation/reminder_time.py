"""When a reminder is due: "2小时", "30m", "1d", "明天上午10点", "tomorrow 10:00", "今晚8点" — read in the
merchant's time zone — and quiet hours: nothing is delivered at night; a reminder that would fall
between QUIET_START and QUIET_END waits for the morning."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.engine.numerals import parse_number

QUIET_START = dt.time(22, 0)
QUIET_END = dt.time(8, 0)
MAX_AHEAD = dt.timedelta(days=30)

_UNITS = {
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60, "分钟": 60, "分鐘": 60, "分": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600, "小时": 3600, "小時": 3600, "个小时": 3600, "個小時": 3600, "钟头": 3600, "鐘頭": 3600,
    "d": 86400, "day": 86400, "days": 86400, "天": 86400, "日": 86400,
}
_NUMBER = r"(\d+(?:\.\d+)?|[零〇一二两兩三四五六七八九十半]+)"
_DURATION = re.compile(rf"^(?:in\s+|过|過)?{_NUMBER}\s*(个小时|個小時|{'|'.join(sorted(map(re.escape, _UNITS), key=len, reverse=True))})(?:后|後|以后|以後|later)?$", re.I)
_HALF_HOUR = re.compile(r"^(?:半小时|半個小時|半个小时|半小時|half an hour)(?:后|後)?$", re.I)
_DAY_WORDS = {"今天": 0, "今日": 0, "今晚": 0, "today": 0, "tonight": 0, "明天": 1, "明日": 1, "明早": 1, "明晚": 1,
              "tomorrow": 1, "后天": 2, "後天": 2}
_PERIODS = {"上午": "am", "早上": "am", "早": "am", "中午": "noon", "下午": "pm", "晚上": "pm", "晚": "pm", "傍晚": "pm",
            "am": "am", "pm": "pm", "morning": "am", "afternoon": "pm", "evening": "pm", "night": "pm"}
_AT = re.compile(
    r"^(?P<day>今天|今日|今晚|明天|明日|明早|明晚|后天|後天|today|tonight|tomorrow)?\s*(?:at\s+)?"
    r"(?P<period>上午|早上|早|中午|下午|晚上|傍晚|晚|morning|afternoon|evening|night)?\s*"
    r"(?:(?P<hour>\d{1,2}|[零一二两兩三四五六七八九十]+)(?:[:：点點时時](?P<minute>\d{1,2}|半)?(?:分)?)?)?\s*"
    r"(?P<ampm>am|pm)?$", re.I)


def zone(name: str | None) -> dt.tzinfo:
    try:
        return ZoneInfo(name or "Asia/Shanghai")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Asia/Shanghai")


def parse_when(text: str, now: dt.datetime) -> dt.datetime | None:
    """The moment `text` names, relative to `now` (aware, in the merchant's zone); None when it names
    none, or one in the past or more than MAX_AHEAD away."""
    said = " ".join(text.strip().lower().split()).rstrip("。.!！")
    for prefix in ("remind me ", "提醒我", "提醒"):
        if said.startswith(prefix):
            said = said[len(prefix):].strip()
    if not said or len(said) > 40:
        return None
    if _HALF_HOUR.match(said):
        return now + dt.timedelta(minutes=30)
    match = _DURATION.match(said)
    if match:
        number = parse_number(match.group(1)) if match.group(1) != "半" else 0.5
        unit = match.group(2).lower()
        if number is None or number <= 0:
            return None
        when = now + dt.timedelta(seconds=number * _UNITS.get(unit, 3600))
        return when if when - now <= MAX_AHEAD else None
    match = _AT.match(said)
    if not match or not (match.group("day") or match.group("hour")):
        return None
    day = _DAY_WORDS.get(match.group("day") or "", 0)
    word = match.group("day") or ""
    period = _PERIODS.get((match.group("period") or match.group("ampm") or "").lower())
    if period is None and word in ("今晚", "明晚", "tonight"):
        period = "pm"
    if period is None and word == "明早":
        period = "am"
    hour_text = match.group("hour")
    if hour_text is None:
        hour, minute = {"am": 9, "noon": 12, "pm": 20}.get(period or "", 9), 0
    else:
        number = parse_number(hour_text)
        if number is None:
            return None
        hour = int(number)
        minute_text = match.group("minute")
        minute = 30 if minute_text == "半" else int(minute_text or 0)
        if period == "pm" and hour < 12:
            hour += 12
        if period == "noon" and hour < 6:
            hour += 12
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    when = (now + dt.timedelta(days=day)).replace(hour=hour, minute=minute, second=0, microsecond=0)
    if when <= now:
        if match.group("day"):
            return None
        when += dt.timedelta(days=1)          # "10点" after ten: tomorrow at ten
    return when if when - now <= MAX_AHEAD else None


def out_of_quiet_hours(when: dt.datetime) -> dt.datetime:
    """`when`, or the end of the night's quiet hours when it falls inside them."""
    local = when.timetz()
    if QUIET_START <= local.replace(tzinfo=None) or local.replace(tzinfo=None) < QUIET_END:
        morning = when.replace(hour=QUIET_END.hour, minute=QUIET_END.minute, second=0, microsecond=0)
        return morning if morning > when else morning + dt.timedelta(days=1)
    return when


__all__ = ["parse_when", "out_of_quiet_hours", "zone", "QUIET_START", "QUIET_END"]
