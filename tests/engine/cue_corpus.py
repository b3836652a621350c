"""The regular expressions of facts.yaml and every description the tests hold (normalised): what the
pattern shortcuts (pattern_starts, needles) are checked against — none may lose a match."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.engine.normalise import normalise

ROOT = Path(__file__).resolve().parents[2]


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _patterns() -> list[str]:
    data = yaml.safe_load((ROOT / "bot" / "data" / "facts.yaml").read_text(encoding="utf-8"))
    out = []
    for text in dict.fromkeys(_strings(data)):
        if any(mark in text for mark in "()[]|?*+\\") and len(text) > 2:
            try:
                re.compile(text)
            except re.error:
                continue
            out.append(text)
    return out


def _texts() -> list[str]:
    data = ROOT / "tests" / "data"
    texts = [t for v in yaml.safe_load((data / "heldout.yaml").read_text(encoding="utf-8")).values() for t in v]
    for name, key in (("facts_heldout.yaml", "cases"), ("facts_cases.yaml", "cases"), ("heldout_realistic.yaml", "items")):
        texts += [c["text"] for c in yaml.safe_load((data / name).read_text(encoding="utf-8")).get(key, []) if c.get("text")]
    return [normalise(t) for t in texts]


PATTERNS = _patterns()
TEXTS = _texts()
