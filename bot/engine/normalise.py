"""Text normalisation shared by the classifier, the slot extractor and keyword rules.

NFKC folds full-width letters and digits, case is folded, and Traditional characters become
Simplified through OpenCC, so one set of examples and keywords serves every way a merchant types.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

# Control and format characters (NUL, zero-width joiners, bidi marks...) carry no meaning here.
_INVISIBLE = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ud800-\udfff]")   # lone surrogates (JSON "\\ud800") too: OpenCC cannot encode them
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def clean(text: str) -> str:
    """NFKC, drop invisible characters, collapse whitespace. Keeps case and script."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    return _SPACES.sub(" ", text).strip()


def to_simplified(text: str) -> str:
    return _to_simplified().convert(text)


def normalise(text: str) -> str:
    """The form the classifier and keyword rules see: cleaned, lower-case, Simplified."""
    return clean_and_normalise(text)[1]


@lru_cache(maxsize=1)
def clean_and_normalise(text: str) -> tuple[str, str]:
    """clean(text) and normalise(text). (The last result is kept: Engine.analyse has the slot
    extractor, the fact extractor and then the classifier read each description.)"""
    cleaned = clean(text)
    return cleaned, to_simplified(cleaned.lower())
