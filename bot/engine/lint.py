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
from bot.engine.negotiation import MOVE_VARIABLES, TEMPLATE_PREFIX, TEMPLATED_MOVES, ladder_for
from bot.engine.packs import MANIFEST, TEMPLATE_SUFFIX, PackError, load_pack, make_environment, parse_template_name, read_manifest, shipped_pack_dir

PLATFORM_NOTE_LIMIT = 200
TEMPLATE_VARIABLES = frozenset(
    {"shop", "signature", "tone", "tracking_number", "carrier", "amount", "amount_kind", "quantity", "order_id", "scenario",
     "remedy", "audience", "scenario_title", "remedy_title", "today", "range", "dict",
     "value", "time_frame", "ship_date", "insured", "phone",
     "item", "item_named", "unit", "condition", "condition_ids", "reported", "received_instead", "received_instead_id", "accessory", "accessory_named", "accessory_is_gift", "fault", "goods",
     "evidence", "stall_days", "stall_long", "amount_named", "pickup", "item_count", "counted_item", "packaging", "carrier_said", "reported_issue",
     "signed_not_received", "swap_suspected", "never_shipped", "buyer_lost_it", "buyer_says_sent", "pickup_failed",
     "refund_without_return", "no_return_needed"}
) | frozenset(MOVE_VARIABLES)
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
    {"goods": "delivered", "signed_not_received": True, "refund_paid": True, "asks_to_reject": True},
    {"goods": "not_back", "never_shipped": True, "refund_paid": True},
    {"goods": "not_back", "pickup_failed": True, "refund_without_return": True},
    {"item": "cup", "conditions": ["leaking"], "defect_confirmed": True, "no_return_needed": True, "amount_named": True},
    {"goods": "inspected", "accessory": "charger", "buyer_lost_it": True, "refund_paid": True},
    {"goods": "inspected", "accessory": "charger", "fault": "unsure", "buyer_says_sent": True},
    {"goods": "inspected", "accessory": "charger", "fault": "unsure", "buyer_says_sent": True, "refund_paid": True},
    {"item": "headphones", "received_instead": "other_goods", "swap_suspected": True, "goods": "inspected"},
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
    ladder = ladder_for(catalogue)
    expected_moves = {(m, a) for m in TEMPLATED_MOVES for a in ladder.move(m).audiences}
    present_moves: set[tuple[str, str]] = set()

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
        for name in sorted(meta.find_undeclared_variables(ast) - TEMPLATE_VARIABLES - assigned):
            findings.append(Finding(path, _line_of_name(source, name), f"undefined variable '{name}' (a template sees: {', '.join(sorted(TEMPLATE_VARIABLES - {'range', 'dict'}))})"))
        if manifest.locale == "zh_TW":
            for lineno, ch in simplified_only_characters(source):
                findings.append(Finding(path, lineno, f"Simplified character '{ch}' in a zh_TW pack (Traditional: '{_s2t().convert(ch)}')"))
        if path.name.startswith("_"):
            continue
        key = parse_template_name(path.name)
        if key is None:
            findings.append(Finding(path, None, f"name is not <remedy>.<audience>.j2 or {TEMPLATE_PREFIX}<move>.<audience>.j2"))
            continue
        remedy, audience = key
        if remedy.startswith(TEMPLATE_PREFIX) and remedy not in catalogue.remedies:
            move = remedy[len(TEMPLATE_PREFIX):]
            if move not in TEMPLATED_MOVES:
                close = difflib.get_close_matches(move, TEMPLATED_MOVES, n=1)
                hint = f"; did you mean {TEMPLATE_PREFIX}{close[0]}?" if close else ""
                findings.append(Finding(path, None, f"'{move}' is not a move with templates (moves: {', '.join(TEMPLATED_MOVES)}){hint}"))
            elif (move, audience) not in expected_moves:
                findings.append(Finding(path, None, f"move {move} has no '{audience}' audience (it has: {', '.join(ladder.move(move).audiences)})"))
            else:
                present_moves.add((move, audience))
            continue
        if remedy not in catalogue.remedies:
            close = difflib.get_close_matches(remedy, remedy_ids, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            findings.append(Finding(path, None, f"'{remedy}' is not a remedy of the catalogue{hint}"))
            continue
        if key not in expected:
            findings.append(Finding(path, None, f"remedy {remedy} has no '{audience}' audience (it has: {', '.join(catalogue.remedy(remedy).audiences)})"))
            continue
        present.add(key)

    absent = [(f"{remedy}.{audience}", "remedy") for remedy, audience in sorted(expected - present)] + \
             [(f"{TEMPLATE_PREFIX}{move}.{audience}", "move") for move, audience in sorted(expected_moves - present_moves)]
    for stem, kind in absent:
        name = f"{stem}{TEMPLATE_SUFFIX}"
        if shipped or manifest.complete:
            findings.append(Finding(directory / name, None, f"missing: every {kind} × audience needs a template in this pack"))
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
    findings.extend(_move_render_checks(engine, pack, directory, catalogue, today))
    unique: dict[str, Finding] = {}
    for f in findings:
        unique.setdefault(str(f), f)
    return list(unique.values())


# Long buyer words, quoted in a statement's history and an answer.
_BUYER_WORDS = "不行，必须全额退款，不然我就去投诉你们，还要给差评，你们自己看着办吧！！！" * 2
# Statements only: the platform reads the whole negotiation, so they may run past the note limit.
_LONG_MOVES = frozenset({"statement"})


def _move_contexts(move: str, remedy: str, amount: float | None, today: dt.date):
    """(stance, buyer_amount, MoveContext) for each answer that leads to `move`."""
    from bot.engine.move_drafts import DONE_KINDS, QUESTION_TOPICS, WANTS, HistoryEntry, MoveContext

    buyer_amount = None if amount is None else amount + 1
    if move == "confirm":
        return [("agrees", None, MoveContext()), ("counter_offer", buyer_amount, MoveContext())]
    if move in ("proof", "ask_figure"):
        return [("refuses", None, MoveContext(words=_BUYER_WORDS))]
    if move == "answer":
        return [("asks", None, MoveContext(topic=t, words=_BUYER_WORDS)) for t in QUESTION_TOPICS]
    if move == "thank":
        return [("already_done", None, MoveContext(done=d, new_tracking=WORST_CASE_SLOTS["tracking_number"] if d == "tracking" else None))
                for d in DONE_KINDS]
    if move == "calm":
        return [("upset", None, MoveContext(words=_BUYER_WORDS))]
    if move == "statement":
        history = (HistoryEntry(today - dt.timedelta(days=2), "shop", remedy, amount),
                   HistoryEntry(today - dt.timedelta(days=1), "buyer", stance="refuses", amount=buyer_amount, words=_BUYER_WORDS))
        return [("escalates", None, MoveContext(words=_BUYER_WORDS, history=history))]
    if move == "consider":
        return ([("counter_offer", buyer_amount, MoveContext())] +
                [("counter_offer", None, MoveContext(wants=w)) for w in WANTS])
    return [("", None, MoveContext())]          # nudge: the buyer has not answered


class _RememberedVariables:
    """The engine as move_drafts uses it, with each draft's variables computed once: they depend on the
    scenario, remedy, audience, details and facts, not on the move, so every move and context shares them."""

    def __init__(self, engine) -> None:  # noqa: ANN001 - bot.engine.drafts.Engine (imported lazily)
        self._engine = engine
        self.catalogue = engine.catalogue
        self.rendered = engine.rendered
        self._known: dict[str, dict[str, object]] = {}

    def variables(self, pack, scenario, remedy, audience, slots, settings, today=None, mark_placeholders=False,  # noqa: ANN001
                  amount_kind=None, facts=None) -> dict[str, object]:
        key = repr((pack.directories, scenario, remedy, audience, sorted(slots.items()), settings, today,
                    mark_placeholders, amount_kind, facts))
        if key not in self._known:
            self._known[key] = self._engine.variables(pack, scenario, remedy, audience, slots, settings, today,
                                                      mark_placeholders, amount_kind, facts)
        return dict(self._known[key])


def _move_render_checks(engine, pack, directory: Path, catalogue: Catalogue, today: dt.date) -> list[Finding]:
    """Render every move's drafts for every scenario's remedies, in every context its stance brings."""
    from bot.engine.drafts import MerchantSettings
    from bot.engine.move_drafts import move_drafts
    from bot.engine.negotiation import NextMove

    engine = _RememberedVariables(engine)
    findings: list[Finding] = []
    seen_errors: set[str] = set()
    order_marks = (WORST_CASE_SLOTS["order_id"], pack.manifest.placeholder.format(label=pack.manifest.placeholders.get("order_id", "order_id")))
    for move in TEMPLATED_MOVES:
        for scenario in catalogue.scenarios.values():
            for remedy_id in scenario.remedies:
                for tone in ("warm", "formal"):
                    for (slots, amount_kind), facts in itertools.product(
                            (({}, "refund"), (WORST_CASE_SLOTS, "refund"), (WORST_CASE_SLOTS, "deduction")), FACT_SETS):
                        settings = MerchantSettings(shop=WORST_CASE_SHOP if slots else None, tone=tone)
                        amount = slots.get("amount")
                        for stance, buyer_amount, context in _move_contexts(move, remedy_id, amount, today):
                            step = NextMove(stance, move, remedy_id, amount, amount_kind, buyer_amount=buyer_amount)
                            try:
                                drafts = move_drafts(engine, scenario.id, step, slots, pack, settings, facts, context, today)
                            except PackError as exc:
                                message = str(exc)
                                if message not in seen_errors:
                                    seen_errors.add(message)
                                    first = ladder_for(catalogue).move(move).audiences[0]
                                    findings.append(Finding(directory / f"{TEMPLATE_PREFIX}{move}.{first}{TEMPLATE_SUFFIX}", None, f"does not render ({message})"))
                                continue
                            for draft in drafts:
                                name = f"{TEMPLATE_PREFIX}{move}.{draft.audience}{TEMPLATE_SUFFIX}"
                                origin = pack.origin(name) or directory / name
                                text = draft.text
                                where = f"{scenario.id}/{remedy_id}, stance {stance or 'none'}, tone {tone}"
                                if not text.strip():
                                    findings.append(Finding(origin, None, f"renders empty for {where}"))
                                if "None" in text or "{{" in text or "{%" in text:
                                    findings.append(Finding(origin, None, f"leaves 'None' or template syntax in the draft for {where}"))
                                if draft.audience == "platform" and move not in _LONG_MOVES and len(text) > PLATFORM_NOTE_LIMIT:
                                    findings.append(Finding(origin, None, f"platform note is {len(text)} characters for {where} (at most {PLATFORM_NOTE_LIMIT})"))
                                if draft.audience == "buyer" and ("order_id" in draft.missing or any(mark in text for mark in order_marks)):
                                    findings.append(Finding(origin, None, f"names the order number in a message to the buyer ({where}): the chat is the order's own thread"))
    return findings


def _line_of_name(source: str, name: str) -> int | None:
    pattern = re.compile(rf"\b{re.escape(name)}\b")
    for lineno, line in enumerate(source.splitlines(), 1):
        if pattern.search(line):
            return lineno
    return None
