"""What a text must contain for a cue pattern to match it, so that most cues are ruled out by two
set tests instead of a regex scan each.

A pattern's needles are characters and two-character runs such that every match contains at least
one of them: "(买家|客人)(承认|自己承认)" needs 承认 (every match has it); "forgot to (include|pack)"
needs one of its runs. They are read from the pattern's parse tree (the re module's own parser):
only what every match must hold counts — optional, repeated-from-zero and zero-width parts
(lookarounds, anchors) are skipped, an alternation needs a needle in each branch — so a text
without any of them cannot match. When that cannot be read plainly, there are no needles and the
pattern is always searched.
"""

from __future__ import annotations

from dataclasses import dataclass

try:        # the parser behind re.compile; a newer Python that moves it only costs the shortcut
    from re import _constants as _c
    from re import _parser
except ImportError:                                   # pragma: no cover
    _parser = _c = None

_MAX_CLASS = 12          # a character class of more characters than this is not worth a needle


@dataclass(frozen=True)
class Needles:
    chars: frozenset[str]          # single characters, any of which may be the one a match holds
    pairs: frozenset[str]          # two-character runs, likewise

    def may_be_in(self, chars: set[str], pairs: set[str]) -> bool:
        """False when a text with these characters and two-character runs (facts.text_index) holds
        none of the needles, and so cannot match."""
        return not (self.pairs.isdisjoint(pairs) and self.chars.isdisjoint(chars))

    def __or__(self, other: "Needles") -> "Needles":
        return Needles(self.chars | other.chars, self.pairs | other.pairs)


def needles(*patterns: str) -> Needles | None:
    """Needles of a match of any of `patterns` (regular expressions, no flags), or None when some
    pattern has none that can be read."""
    if _parser is None:
        return None
    found = Needles(frozenset(), frozenset())
    for pattern in patterns:
        try:
            tree = _parser.parse(pattern)
        except Exception:           # not a pattern this parser reads: no shortcut
            return None
        if tree.state.flags & (_c.SRE_FLAG_IGNORECASE | _c.SRE_FLAG_VERBOSE):
            return None             # its letters would stand for others too
        own = _sequence(list(tree))
        if own is None:
            return None
        found = found | own
    return found


def _sequence(items: list) -> Needles | None:
    """The best needles of a sequence: those of one part every match has — a run of literal
    characters (its most telling two-character run), a group, a short character class."""
    candidates: list[Needles] = []
    run: list[str] = []
    for op, av in items + [(None, None)]:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        if len(run) >= 2:
            candidates.append(Needles(frozenset(), frozenset({_telling_pair(run)})))
        elif run:
            candidates.append(Needles(frozenset(run), frozenset()))
        run = []
        if op is None:
            break
        part = _part(op, av)
        if part is not None:
            candidates.append(part)
    return min(candidates, key=_weight) if candidates else None


def _part(op, av) -> Needles | None:
    if op is _c.SUBPATTERN:
        return None if av[1] & _c.SRE_FLAG_IGNORECASE else _sequence(list(av[3]))
    if op is _c.BRANCH:
        found = Needles(frozenset(), frozenset())
        for branch in av[1]:
            own = _sequence(list(branch))
            if own is None:
                return None
            found = found | own
        return found
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)) and av[0] >= 1:
        return _sequence(list(av[2]))
    if op is _c.IN:
        chars = set()
        for kind, value in av:
            if kind is _c.LITERAL:
                chars.add(chr(value))
            elif kind is _c.RANGE and value[1] - value[0] < _MAX_CLASS:
                chars.update(chr(c) for c in range(value[0], value[1] + 1))
            else:                   # a negated class, \d, \s, a wide range: any character
                return None
        return Needles(frozenset(chars), frozenset()) if 0 < len(chars) <= _MAX_CLASS else None
    return None                     # optional, zero-width or any character: not a needle


def _telling_pair(run: list[str]) -> str:
    """A run's two-character run least likely to be in any text: one with a non-Latin character if
    there is one, else the one with the fewest common letters."""
    pairs = ["".join(run[i : i + 2]) for i in range(len(run) - 1)]
    return min(pairs, key=lambda p: (all(ch.isascii() for ch in p), sum(ch in "etaoins hr" for ch in p)))


def _weight(found: Needles) -> float:
    """How often a text holds one of them, roughly: a single character counts as four runs, and a
    Latin one as four more (letters are in every English text and in tracking numbers)."""
    return len(found.pairs) + sum(8 if ch.isascii() else 4 for ch in found.chars)


__all__ = ["Needles", "needles"]
