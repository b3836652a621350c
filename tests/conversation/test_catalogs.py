"""The gettext catalogs: every interface string extracted from bot/ is translated, and the .mo match."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ("zh_CN", "zh_TW", "en")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _extracted() -> set[str]:
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(ROOT / "bot"), method_map, options_map,
                                                                      keywords=keywords):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.fixture(scope="module")
def extracted() -> set[str]:
    messages = _extracted()
    assert len(messages) > 40
    return messages


def _po(locale: str):
    with (ROOT / "locales" / locale / "LC_MESSAGES" / "negobot.po").open("rb") as fh:
        return read_po(fh, locale=locale)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_interface_string_is_translated(extracted, locale):
    catalog = _po(locale)
    missing = sorted(m for m in extracted if m not in catalog or not catalog[m].string)
    fuzzy = sorted(m.id for m in catalog if m.id and m.fuzzy)
    assert not missing, f"{locale}: untranslated — run the workflow in README 'Translating the interface': {missing}"
    assert not fuzzy, f"{locale}: fuzzy entries: {fuzzy}"


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_survive_translation(locale):
    for message in _po(locale):
        if message.id:
            assert set(re.findall(r"\{\w+\}", message.id)) == set(re.findall(r"\{\w+\}", message.string)), message.id


def test_translations_read_naturally_per_language():
    zh_cn, zh_tw, en = (_po(locale) for locale in LOCALES)
    for message in en:
        if message.id:
            assert message.string == message.id
    for message in zh_cn:
        if message.id and message.id not in ("Example: 买家退货单号SF1409823356721填错了",):
            assert _CJK.search(message.string), f"zh_CN left in English: {message.id}"
    simplified_only = set("这说话们设为单个订识别语删应该没问题简体时钮级态复")
    for message in zh_tw:
        if message.id:
            assert not simplified_only & set(message.string), f"zh_TW in Simplified: {message.string}"
    assert zh_tw["Message to the buyer"].string == "給買家的訊息"


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_mo_matches_the_po(locale):
    po = _po(locale)
    with (ROOT / "locales" / locale / "LC_MESSAGES" / "negobot.mo").open("rb") as fh:
        mo = read_mo(fh)
    po_pairs = {m.id: m.string for m in po if m.id and m.string and not m.fuzzy}
    mo_pairs = {m.id: m.string for m in mo if m.id}
    assert mo_pairs == po_pairs, f"{locale}: run `pybabel compile -d locales -D negobot`"
