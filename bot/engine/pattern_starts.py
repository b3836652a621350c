"""What a regular expression's matches can start with, read from its text (facts.yaml's cues, the
slot patterns), and patterns led by it: the regex engine scans fast for a first character class,
while a pattern that starts otherwise is tried at every position."""

from __future__ import annotations

import re

SYNTAX = "\\.^$*+?{}[]()|"
_OPTIONAL = ("?", "*", "{")


def first_chars(pattern: str) -> frozenset[str]:
    """The characters a match of `pattern` can start with, when that is plain to see (empty if not):
    each top-level alternative starts with a literal character, a plain character class or a
    (non-capturing) group whose own alternatives do — after a \\b or a lookbehind, which match no
    character; one made optional adds the characters of what follows it. "(没有|没)吊牌" → {没};
    "吊牌.{0,3}(没了|摘)" → {吊}; "(box|packaging) (was )?wet" → {b, p}; "(一张)?照片" → {一, 照};
    "(?<![0-9])[0-9]+天" → {0…9}; "(?=[ab])…" (a lookahead on a plain class) → {a, b}. Anything else
    ("\\d", "[^…]", ".", other lookaheads) → empty."""
    alternatives = split_top(pattern)
    if alternatives is None:
        return frozenset()
    out: set[str] = set()
    for alternative in alternatives:
        first = _alternative_first(alternative)
        if not first:
            return frozenset()
        out |= first
    return frozenset(out)


def split_top(pattern: str) -> list[str] | None:
    """`pattern` cut at its top-level |, or None when its brackets do not read plainly."""
    parts, depth, start = [], 0, 0
    try:
        for i, ch, depth in _with_depth(pattern):
            if depth < 0:
                return None
            if ch == "|" and depth == 0:
                parts.append(pattern[start:i])
                start = i + 1
    except ValueError:
        return None
    if depth != 0:
        return None
    parts.append(pattern[start:])
    return parts


def _with_depth(pattern: str):
    """_syntax's (position, character), with the group depth after that character."""
    depth = 0
    for i, ch in _syntax(pattern):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        yield i, ch, depth


def _syntax(pattern: str):
    """(position, character) of each character of `pattern` outside escapes and character classes;
    ValueError when a class does not close."""
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            end = _class_end(pattern, i)
            if end < 0:
                raise ValueError("unclosed character class")
            i = end + 1
            continue
        yield i, ch
        i += 1


def _class_end(pattern: str, i: int) -> int:
    """Where the character class opened at `i` closes (-1 if it does not)."""
    j = i + 1
    if pattern[j:j + 1] == "^":
        j += 1
    if pattern[j:j + 1] == "]":
        j += 1
    while j < len(pattern):
        if pattern[j] == "\\":
            j += 2
            continue
        if pattern[j] == "]":
            return j
        j += 1
    return -1


def _alternative_first(alternative: str) -> frozenset[str]:
    if not alternative:
        return frozenset()
    if alternative.startswith("\\b"):
        return _alternative_first(alternative[2:])          # a word boundary matches no character
    if alternative[0] == "(":
        close = group_end(alternative)
        if close is None:
            return frozenset()
        inner = alternative[1:close]
        if inner.startswith(("?<!", "?<=")):
            return _alternative_first(alternative[close + 1:])  # a lookbehind matches no character
        if inner.startswith("?=[") and _class_end(inner, 2) == len(inner) - 1:
            return _class_chars(inner[2:])      # a lookahead on a class (_ahead): one of its characters
        if inner.startswith("?:"):
            inner = inner[2:]
        elif inner.startswith("?"):
            return frozenset()                  # lookaheads, named groups, flags
        first, end = first_chars(inner), close + 1
    elif alternative[0] == "[":
        end = _class_end(alternative, 0) + 1
        first = _class_chars(alternative[:end]) if end else frozenset()
    elif alternative[0] in SYNTAX:
        return frozenset()
    else:
        first, end = frozenset(alternative[0]), 1
    if not first or alternative[end:end + 1] not in _OPTIONAL or alternative[end:end + 1] == "":
        return first
    # (…)? (…)* (…){0,n}: it may match nothing, and the match start with what follows
    rest = _after_quantifier(alternative, end)
    following = _alternative_first(rest) if rest is not None else frozenset()
    return first | following if following else frozenset()


def group_end(alternative: str) -> int | None:
    """Where the group opened at the start of `alternative` closes."""
    try:
        return next((i for i, ch, depth in _with_depth(alternative) if ch == ")" and depth == 0), None)
    except ValueError:
        return None


def _after_quantifier(alternative: str, i: int) -> str | None:
    """What follows the quantifier at `i` ("?", "*" or "{m,n}", perhaps lazy or possessive)."""
    if alternative[i] == "{":
        close = alternative.find("}", i)
        if close < 0:
            return None
        i = close
    i += 1
    if alternative[i:i + 1] in ("?", "+"):
        i += 1
    return alternative[i:]


def _class_chars(cls: str) -> frozenset[str]:
    """The characters of a plain character class ("[0-9]", "[本件个]"); empty for anything else
    (negated, escapes, nested or set operations, long ranges)."""
    body = cls[1:-1]
    if not body or body[0] == "^" or any(mark in body for mark in ("\\", "[", "&&", "--", "~~", "||")):
        return frozenset()
    out: set[str] = set()
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            low, high = ord(body[i]), ord(body[i + 2])
            if high < low or high - low > 100:
                return frozenset()
            out.update(map(chr, range(low, high + 1)))
            i += 3
        else:
            out.add(body[i])
            i += 1
    return frozenset(out)

def compile_led(firsts: frozenset[str], body: str, found_only: bool, flags: int = 0) -> re.Pattern[str]:
    """`body` led by _ahead(firsts). `found_only`: for a caller that reads only whether it is found,
    where, and its numbered groups — not group(0) nor the end, and not with finditer: the match is then
    the first character alone, the body looked for from there in a lookbehind. A pattern that starts
    with a character class is searched by the regex engine's own fast scan for that class; the
    lookahead form enters the engine at every position."""
    if len(firsts) < 2:
        return re.compile(body, flags)
    if found_only:
        return re.compile(f"[{''.join(re.escape(ch) for ch in sorted(firsts))}](?<=(?={body})(?s:.))", flags)
    return re.compile(_ahead(firsts) + body, flags)


def without_groups(pattern: str) -> str:
    """`pattern` with its capturing groups made non-capturing, for a caller that reads no group: the
    same matches, and the regex engine, which saves and restores the groups it has at every branch it
    tries, is faster with none (the fault cues' ~130 groups made them several times slower together)."""
    try:
        opens = [i for i, ch in _syntax(pattern) if ch == "(" and pattern[i + 1 : i + 2] != "?"]
    except ValueError:
        return pattern
    for i in reversed(opens):
        pattern = pattern[: i + 1] + "?:" + pattern[i + 1 :]
    return pattern


def any_of(patterns: list[re.Pattern[str]], flags: int = 0) -> re.Pattern[str]:
    """A pattern found where any of `patterns` is — only whether it is found is meant: one scan where
    most texts have none of them. Each is tried as searched alone (led by its own first characters
    when it is), the whole led by all their first characters when plain to see."""
    firsts = [first_chars(p.pattern) for p in patterns]
    body = "|".join(f"(?:{without_groups(p.pattern)})" for p in patterns) or "(?!)"
    return compile_led(frozenset().union(*firsts) if firsts and all(firsts) else frozenset(), f"(?:{body})",
                       found_only=True, flags=flags)


def _ahead(firsts: frozenset[str]) -> str:
    # (one first character: the regex engine's own scan for it is faster than the lookahead)
    return f"(?=[{''.join(re.escape(ch) for ch in sorted(firsts))}])" if len(firsts) > 1 else ""
