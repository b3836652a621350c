"""`negobot packs lint`: everything that would make a pack produce a broken draft, with file and line."""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import opencc
from jinja2 import TemplateSyntaxError, meta, nodes

from bot.engine.catalogue import Catalogue, default_catalogue
from bot.engine.negotiation import MOVES, TEMPLATE_PREFIX
from bot.engine.packs import MANIFEST, TEMPLATE_SUFFIX, PackError, load_pack, make_environment, parse_template_name, read_manifest, shipped_pack_dir

PLATFORM_NOTE_LIMIT = 200
TEMPLATE_VARIABLES = frozenset(
    {"shop", "signature", "tone", "tracking_number", "carrier", "amount", "amount_kind", "quantity", "order_id", "scenario",
     "remedy", "audience", "scenario_title", "remedy_title", "today", "range", "dict",
     "value", "time_frame", "ship_date", "insured", "phone",
     "item", "item_named", "unit", "condition", "condition_ids", "reported", "received_instead", "received_instead_id", "accessory", "accessory_named", "fault", "goods",
     "evidence", "stall_days", "stall_long", "amount_named", "pickup", "item_count", "counted_item", "packaging", "carrier_said", "reported_issue",
     "preface"}
)
# What a negotiation move's template sees beyond TEMPLATE_VARIABLES (bot.engine.move_drafts); any
# template may import _moves.j2, so these are accepted in every template. Minimal stand-in until the
# full lint of move_ templates lands (it may replace this).
MOVE_VARIABLES = frozenset(
    {"move", "stance", "preface", "negotiation", "amount_offered", "buyer_amount", "topic", "done", "buyer_words",
     "wants", "new_tracking", "history", "evidence_to_upload"}
)
# Long but realistic details: a platform note must stay within the limit even with these.
WORST_CASE_SLOTS = {"tracking_number": "JT0012345678901", "carrier": "deppon", "amount": 12345.67, "quantity": 12,
                    "order_id": "3719912345678901234"}
WORST_CASE_SHOP = "小鹿家居旗舰店官方直营"
# Facts that make drafts long or take every branch: each fault, goods back or not, evidence, a gift.
FACT_SETS = (
    {},
    {"item": "down_jacket", "conditions": ["worn", "tag_cut", "stained"], "fault": "buyer", "goods": "inspected",
     "evidence": ["photos", "video"], "accessory": "dust_bag", "received_instead": "other_goods"},
    {"item": "hair_dryer", "conditions": ["shattered", "packaging_damaged"], "fault": "carrier", "goods": "inspected",
     "evidence": ["photos", "video", "carrier_proof", "refused"], "stall_days": 12, "stall_long": True},
    {"item": "vacuum", "conditions": ["seam_open", "not_working"], "fault": "disputed", "evidence": ["photos"]},
    {"item": "bedding", "fault": "shop", "goods": "not_back", "stall_days": 3},
    {"goods": "delivered", "pickup": "菜鸟驿站", "time_frame": "今天下午"},
    {"item": "massager", "item_word": "按摩仪", "conditions": ["no_heat", "odour", "packaging_intact"], "fault": "disputed",
     "goods": "inspected", "evidence": ["tested"], "amount_named": True, "accessory": "gift", "accessory_word": "保温杯"},
    {"item": "monitor", "conditions": ["cracked", "packaging_damaged"], "fault": "unsure", "goods": "inspected",
     "item_count": "两台", "received_instead": "bricks", "carrier_said": True},
)
# Characters OpenCC would convert but that are standard in Taiwan and Hong Kong writing too.
_TRADITIONAL_OK = frozenset("台着里只才干么系面周后制准发松余沖冲了")


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int | None
    message: str
    fatal: bool = True

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {'error' if self.fatal else 'note'}: {self.message}"


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def simplified_only_characters(text: str) -> list[tuple[int, str]]:
    """(line, character) for each character with a distinct Traditional form."""
    found = []
    converter = _s2t()
    for lineno, line in enumerate(text.splitlines(), 1):
        for ch in line:
            if "\u4e00" <= ch <= "\u9fff" and ch not in _TRADITIONAL_OK and converter.convert(ch) != ch:
                found.append((lineno, ch))
    return found


def lint_pack(directory: Path, catalogue: Catalogue | None = None) -> list[Finding]:
    catalogue = catalogue or default_catalogue()
    directory = Path(directory)
    findings: list[Finding] = []
    try:
        manifest = read_manifest(directory)
    except PackError as exc:
        return [Finding(directory / MANIFEST, None, str(exc).split(": ", 1)[-1])]
    shipped = directory.resolve() == shipped_pack_dir(manifest.locale).resolve()
    env = make_environment((directory,))
    expected = set(catalogue.draft_keys())
    remedy_ids = sorted(catalogue.remedies)
    present: set[tuple[str, str]] = set()

    for path in sorted(directory.glob(f"*{TEMPLATE_SUFFIX}")):
        try:
            source = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            findings.append(Finding(path, None, "not UTF-8 text"))
            continue
        try:
            ast = env.parse(source, path.name, str(path))
        except TemplateSyntaxError as exc:
            findings.append(Finding(path, exc.lineno, f"syntax error: {exc.message}"))
            continue
        assigned = {node.name for node in ast.find_all(nodes.Name) if node.ctx in ("store", "param")}
        for name in sorted(meta.find_undeclared_variables(ast) - TEMPLATE_VARIABLES - MOVE_VARIABLES - assigned):
            findings.append(Finding(path, _line_of_name(source, name), f"undefined variable '{name}' (a template sees: {', '.join(sorted(TEMPLATE_VARIABLES - {'range', 'dict'}))})"))
        if manifest.locale == "zh_TW":
            for lineno, ch in simplified_only_characters(source):
                findings.append(Finding(path, lineno, f"Simplified character '{ch}' in a zh_TW pack (Traditional: '{_s2t().convert(ch)}')"))
        if path.name.startswith("_"):
            continue
        key = parse_template_name(path.name)
        if key is None:
            findings.append(Finding(path, None, "name is not <remedy>.<audience>.j2"))
            continue
        remedy, audience = key
        if remedy.startswith(TEMPLATE_PREFIX) and remedy[len(TEMPLATE_PREFIX):] in MOVES:
            continue            # a negotiation move's template (move_<move>.<audience>.j2)
        if remedy not in catalogue.remedies:
            close = difflib.get_close_matches(remedy, remedy_ids, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            findings.append(Finding(path, None, f"'{remedy}' is not a remedy of the catalogue{hint}"))
            continue
        if key not in expected:
            findings.append(Finding(path, None, f"remedy {remedy} has no '{audience}' audience (it has: {', '.join(catalogue.remedy(remedy).audiences)})"))
            continue
        present.add(key)

    for remedy, audience in sorted(expected - present):
        name = f"{remedy}.{audience}{TEMPLATE_SUFFIX}"
        if shipped or manifest.complete:
            findings.append(Finding(directory / name, None, "missing: every remedy × audience needs a template in this pack"))
        else:
            findings.append(Finding(directory / name, None, f"not in this pack; the shipped {manifest.locale} template is used", fatal=False))

    if not any(f.fatal for f in findings):
        findings.extend(_render_checks(directory, manifest.locale, shipped, catalogue))
    return findings


def _render_checks(directory: Path, locale: str, shipped: bool, catalogue: Catalogue) -> list[Finding]:
    """Render every draft of every scenario in both tones, as the merchant would get it."""
    from bot.engine.drafts import Engine, MerchantSettings, default_engine  # drafts imports packs; lint is used by both

    findings: list[Finding] = []
    engine = default_engine() if catalogue is default_catalogue() else Engine(catalogue)
    try:
        pack = load_pack(locale) if shipped else load_pack(None, directory)
    except PackError as exc:
        return [Finding(directory / MANIFEST, None, str(exc))]
    today = dt.date(2026, 1, 31)
    seen_errors: set[str] = set()
    for scenario in catalogue.scenarios.values():
        for remedy_id in scenario.remedies:
            for audience in catalogue.remedy(remedy_id).audiences:
                name = f"{remedy_id}.{audience}{TEMPLATE_SUFFIX}"
                for tone in ("warm", "formal"):
                    for (slots, amount_kind), facts in itertools.product(
                            (({}, None), (WORST_CASE_SLOTS, "refund"), (WORST_CASE_SLOTS, "deduction")), FACT_SETS):
                        settings = MerchantSettings(shop=WORST_CASE_SHOP if slots else None, tone=tone)
                        try:
                            draft = engine.draft(scenario.id, remedy_id, audience, slots, pack, settings, today, amount_kind, facts)
                            text = draft.reading or draft.text
                        except PackError as exc:
                            message = str(exc)
                            if message not in seen_errors:
                                seen_errors.add(message)
                                findings.append(Finding(directory / name, None, f"does not render ({message})"))
                            continue
                        origin = pack.origin(name) or directory / name
                        if not text.strip():
                            findings.append(Finding(origin, None, f"renders empty for {scenario.id}, tone {tone}"))
                        if "None" in text or "{{" in text or "{%" in text:
                            findings.append(Finding(origin, None, f"leaves 'None' or template syntax in the draft for {scenario.id}"))
                        if audience == "platform" and len(text) > PLATFORM_NOTE_LIMIT:
                            findings.append(Finding(origin, None, f"platform note is {len(text)} characters for {scenario.id}, tone {tone} (at most {PLATFORM_NOTE_LIMIT})"))
    unique: dict[str, Finding] = {}
    for f in findings:
        unique.setdefault(str(f), f)
    return list(unique.values())


def _line_of_name(source: str, name: str) -> int | None:
    pattern = re.compile(rf"\b{re.escape(name)}\b")
    for lineno, line in enumerate(source.splitlines(), 1):
        if pattern.search(line):
            return lineno
    return None
