"""The negotiation after the opening draft: given where a case stands and how the buyer answered,
the next move — which draft to write, about which remedy, with which amount — from the ladder in
bot/data/negotiation.yaml. Pure: no store, no transport; the conversation core keeps the history.

Amounts: a case's offer is a refund amount or a deduction (`amount_kind`). The merchant's `limit`
is the most they will give in this case: for a refund, the highest refund; for a deduction, the
smallest deduction (both: the furthest the merchant goes toward the buyer).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.engine.catalogue import LOCALES, Catalogue, CatalogueError, SCENARIO_IDS, UNKNOWN
from bot.engine.facts import Facts
from bot.engine.remedies import case_facts, fits
from bot.engine.stances import STANCES
from bot.resources import data_dir

MOVES = ("confirm", "offer", "proof", "ask_figure", "answer", "thank", "calm", "statement", "consider", "nudge")
# Steps that write no draft: the merchant decides first.
ASK_MERCHANT = "ask_merchant"     # the stance is unclear
ASK_LIMIT = "ask_limit"           # a counter-offer or a better offer needs the merchant's limit
DECIDE = "decide"                 # the buyer waits for the shop's answer to their proposal: the merchant decides
NO_DRAFT_STEPS = (ASK_MERCHANT, ASK_LIMIT, DECIDE)
_STANCE_STEPS = {"confirm", "next_offer", "counter", "answer", "thank", "calm", "statement", ASK_MERCHANT}
_REFUSAL_STEPS = {"proof", "calm", "consider"}
TEMPLATE_PREFIX = "move_"
CANCEL_REMEDY = "invite_cancel"                               # what a buyer who drops the return agrees to
SEND_REST_REMEDIES = ("return_gift", "resend_missing_items")  # a buyer who will send what was missing
# Moves with templates of their own (move_<move>.<audience>.j2); an `offer` reuses the remedy's templates.
TEMPLATED_MOVES = tuple(m for m in MOVES if m != "offer")
# What a move's drafts see beyond an opening draft's variables (bot.engine.move_drafts; docs/catalogue-and-packs.md).
MOVE_VARIABLES = ("move", "stance", "preface", "negotiation", "amount_offered", "buyer_amount", "topic", "done",
                  "buyer_words", "wants", "new_tracking", "history", "evidence_to_upload", "agreed")


@dataclass(frozen=True)
class MoveSpec:
    id: str
    audiences: tuple[str, ...]
    advice: dict[str, str]


@dataclass(frozen=True)
class Ladder:
    stances: dict[str, str]
    refusal: dict[str, dict[str, str]]
    amount_remedies: frozenset[str]
    amount_remedy: str
    moves: dict[str, MoveSpec]
    shipped_without_number: frozenset[str] = frozenset()
    merchant_steps: dict[str, dict[str, str]] = field(default_factory=dict)   # no-draft step -> advice per locale
    after_refund: dict[str, str] = field(default_factory=dict)   # every move's line once the refund has gone out

    def advice(self, step: str, locale: str, after_refund: bool = False) -> str:
        """The merchant's line for a move or a no-draft step; `after_refund`: the case's remedy is one
        for a refund already paid (no request left to negotiate in), so a move's line is that one."""
        if after_refund and step in self.moves and step != "statement" and locale in self.after_refund:
            return self.after_refund[locale]
        return self.moves[step].advice[locale] if step in self.moves else self.merchant_steps[step][locale]

    def move(self, move_id: str) -> MoveSpec:
        return self.moves[move_id]

    def after_refusal(self, scenario: str, remedy: str | None) -> str:
        return self.refusal.get(scenario, {}).get(remedy or "", "proof")


@dataclass(frozen=True)
class Position:
    """Where a case stands in its negotiation."""

    scenario: str
    remedy: str | None
    facts: Facts = field(default_factory=Facts)
    amount: float | None = None           # the amount currently offered (refund or deduction)
    amount_kind: str = "refund"
    limit: float | None = None            # the furthest the merchant goes (see the module docstring)
    refused: tuple[str, ...] = ()         # remedies the buyer has refused in this case
    waiting_on_merchant: bool = False     # the last move told the buyer the shop would come back (`consider`)
    agreed: bool = False                  # the last move confirmed an agreement


@dataclass(frozen=True)
class NextMove:
    stance: str
    move: str                        # one of MOVES, or ASK_MERCHANT / ASK_LIMIT (no draft)
    remedy: str | None               # the remedy the drafts are about (the case's, or the next one)
    amount: float | None = None      # the amount the drafts propose or confirm
    amount_kind: str = "refund"
    preface: str = ""                # how an offer opens: "refused" (another remedy), "raised" (a better
                                     # amount), "counter" (between the buyer's figure and ours), "" (an opening)
    buyer_amount: float | None = None  # the figure the buyer named, when they named one

    @property
    def writes_drafts(self) -> bool:
        return self.move in MOVES


def _read(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise CatalogueError(f"{path}: expected a mapping")
    return data


def load_ladder(catalogue: Catalogue, directory: Path | None = None) -> Ladder:
    """The ladder, checked against the catalogue: every stance has a step, every refusal step is a
    remedy of its scenario or a known move, every move has audiences and advice in every locale."""
    path = (directory or data_dir()) / "negotiation.yaml"
    raw = _read(path)
    stances = {str(k): str(v) for k, v in (raw.get("stances") or {}).items()}
    if set(stances) != set(STANCES) or any(v not in _STANCE_STEPS for v in stances.values()):
        raise CatalogueError(f"{path}: stances must map each of {', '.join(STANCES)} to one of {', '.join(sorted(_STANCE_STEPS))}")
    refusal: dict[str, dict[str, str]] = {}
    for sid, table in (raw.get("refusal") or {}).items():
        if sid not in SCENARIO_IDS or sid == UNKNOWN:
            raise CatalogueError(f"{path}: refusal names unknown scenario {sid}")
        own = catalogue.scenario(sid).remedies
        refusal[sid] = {}
        for rid, step in (table or {}).items():
            if rid not in own:
                raise CatalogueError(f"{path}: refusal: {rid} is not a remedy of {sid}")
            if step not in own and step not in _REFUSAL_STEPS:
                raise CatalogueError(f"{path}: refusal: {sid}.{rid} leads to {step}, neither a remedy of {sid} nor {'/'.join(sorted(_REFUSAL_STEPS))}")
            refusal[sid][str(rid)] = str(step)
    amount_remedies = frozenset(str(r) for r in raw.get("amount_remedies") or ())
    amount_remedy = str(raw.get("amount_remedy") or "")
    if any(r not in catalogue.remedies for r in amount_remedies) or amount_remedy not in amount_remedies:
        raise CatalogueError(f"{path}: amount_remedies must be remedies, and amount_remedy one of them")
    moves: dict[str, MoveSpec] = {}
    for mid, spec in (raw.get("moves") or {}).items():
        if mid not in MOVES:
            raise CatalogueError(f"{path}: unknown move {mid}")
        advice = spec.get("advice") or {}
        if any(loc not in advice for loc in LOCALES):
            raise CatalogueError(f"{path}: move {mid} needs advice in {', '.join(LOCALES)}")
        moves[mid] = MoveSpec(mid, tuple(spec.get("audiences") or ("buyer",)), {loc: str(advice[loc]) for loc in LOCALES})
    if set(moves) != set(MOVES):
        raise CatalogueError(f"{path}: moves missing: {', '.join(sorted(set(MOVES) - set(moves)))}")
    shipped = frozenset(str(s) for s in raw.get("shipped_without_number") or ())
    if any(s not in SCENARIO_IDS for s in shipped):
        raise CatalogueError(f"{path}: shipped_without_number names an unknown scenario")
    merchant_steps = {str(k): dict(v or {}) for k, v in (raw.get("merchant_steps") or {}).items()}
    if set(merchant_steps) != set(NO_DRAFT_STEPS) or any(loc not in v for v in merchant_steps.values() for loc in LOCALES):
        raise CatalogueError(f"{path}: merchant_steps needs {', '.join(NO_DRAFT_STEPS)}, each in {', '.join(LOCALES)}")
    after_refund = {str(k): str(v) for k, v in (raw.get("after_refund") or {}).items()}
    if any(loc not in after_refund for loc in LOCALES):
        raise CatalogueError(f"{path}: after_refund needs a line in each of {', '.join(LOCALES)}")
    return Ladder(stances, refusal, amount_remedies, amount_remedy, moves, shipped, merchant_steps, after_refund)


_LADDERS: dict[int, tuple[Catalogue, Ladder]] = {}


def ladder_for(catalogue: Catalogue) -> Ladder:
    """The shipped ladder over `catalogue`, read once per catalogue."""
    held = _LADDERS.get(id(catalogue))
    if held is None or held[0] is not catalogue:
        held = _LADDERS[id(catalogue)] = (catalogue, load_ladder(catalogue))
    return held[1]


def _whole(x: float) -> float:
    """Amounts offered in a negotiation: whole yuan, except where a figure was given with fen."""
    return float(round(x))


def _fitting(catalogue: Catalogue, position: Position, remedy: str) -> bool:
    scenario = catalogue.scenario(position.scenario)
    return remedy in scenario.remedies and fits(catalogue.remedy(remedy), case_facts(scenario, position.facts))


def next_move(catalogue: Catalogue, position: Position, stance: str, *, amount: float | None = None,
              amount_kind: str | None = None, wants: str | None = None, done: str | None = None,
              new_tracking: bool = False, topic: str | None = None) -> NextMove:
    """The next move after the buyer's answer with `stance` (and the amount or remedy it names, what
    they say they did)."""
    ladder = ladder_for(catalogue)
    step = ladder.stances.get(stance, ASK_MERCHANT)
    if wants == "cancel" and stance in ("agrees", "counter_offer", "refuses") and amount is None:
        if case_facts(catalogue.scenario(position.scenario), position.facts).goods == "inspected":
            # "算了我不退了" while the shop holds the goods: she would lose both — calm, keep the offer open
            return NextMove(stance, "calm", position.remedy, position.amount, position.amount_kind)
        # "我不想退了": the buyer drops the return — the request only needs cancelling
        return NextMove(stance, "confirm", CANCEL_REMEDY, None, position.amount_kind)
    if wants == "send_rest" and stance in ("agrees", "counter_offer"):
        # "I'll send the lampshade separately": the buyer sends what was missing instead of a deduction
        sending = next((r for r in SEND_REST_REMEDIES if _fitting(catalogue, position, r)), None)
        if sending is not None:
            return NextMove(stance, "confirm", sending, None, position.amount_kind)
        return NextMove(stance, "consider", position.remedy, position.amount, position.amount_kind)
    if stance == "asks" and topic == "how_much" and position.amount is None:
        # "扣多少？" with no figure on the table: the merchant's limit decides the figure we name
        remedy = position.remedy if position.remedy in ladder.amount_remedies else ladder.amount_remedy
        if not _fitting(catalogue, position, remedy):
            return NextMove(stance, "consider", position.remedy, None, position.amount_kind)
        if position.limit is None:
            return NextMove(stance, ASK_LIMIT, remedy, None, position.amount_kind)
        return NextMove(stance, "offer", remedy, position.limit, position.amount_kind)
    if stance == "refuses" and amount is not None:
        step = "counter"             # "不行，最少退我300": a refusal that names the figure it wants
    if stance == "agrees" and amount is None and position.agreed:
        # "thanks!" after the agreement was confirmed: a short thank-you, not the confirmation again
        return NextMove(stance, "thank", position.remedy, position.amount, position.amount_kind)
    if stance == "agrees" and amount is None and position.waiting_on_merchant:
        # "嗯嗯好的" after "we'll check and come back": the buyer is waiting, nothing was agreed
        return NextMove(stance, DECIDE, position.remedy, position.amount, position.amount_kind)
    if stance == "agrees" and amount is not None and position.amount is not None and (
            amount != position.amount or (amount_kind or position.amount_kind) != position.amount_kind):
        step = "counter"             # "好啦，扣30可以" against our 50: agreeing to their own figure
    if stance == "already_done" and position.scenario in ladder.shipped_without_number and done != "cancelled" \
            and not new_tracking:
        return NextMove(stance, "proof", position.remedy, position.amount, position.amount_kind)
    if stance == "counter_offer" and amount is None and wants in (None, "full_refund"):
        step = "next_offer"          # "I want all my money back" refuses the offer without a figure
    if step == "confirm":
        return NextMove(stance, "confirm", position.remedy, position.amount, position.amount_kind)
    if step == "counter":
        if amount is None:
            return NextMove(stance, "consider", position.remedy, position.amount, position.amount_kind)
        return _counter(catalogue, ladder, position, stance, amount, amount_kind or position.amount_kind)
    if step == "next_offer":
        return _after_refusal(catalogue, ladder, position, stance)
    if step == ASK_MERCHANT:
        return NextMove(stance, ASK_MERCHANT, position.remedy, position.amount, position.amount_kind)
    return NextMove(stance, step, position.remedy, position.amount, position.amount_kind)


def _toward_buyer(kind: str, a: float, b: float) -> bool:
    """True when `a` gives the buyer more than `b` (a bigger refund, a smaller deduction)."""
    return a > b if kind == "refund" else a < b


def _counter(catalogue: Catalogue, ladder: Ladder, position: Position, stance: str, asked: float, kind: str) -> NextMove:
    remedy = position.remedy if position.remedy in ladder.amount_remedies else ladder.amount_remedy
    if not _fitting(catalogue, position, remedy) or (position.amount is not None and kind != position.amount_kind):
        # No amount remedy fits, or the buyer's figure is of the other kind (a refund against our
        # deduction): the merchant weighs it before anything is offered.
        return NextMove(stance, "consider", position.remedy, position.amount, position.amount_kind, buyer_amount=asked)
    if position.limit is None:
        return NextMove(stance, ASK_LIMIT, remedy, position.amount, kind, buyer_amount=asked)
    limit = position.limit
    if not _toward_buyer(kind, asked, limit):           # within the limit: take the buyer's figure
        return NextMove(stance, "confirm", remedy, asked, kind, buyer_amount=asked)
    current = position.amount if position.amount_kind == kind else None
    if current is not None and not _toward_buyer(kind, limit, current):
        # already at the limit: say so and ask what else would work, rather than repeat the offer
        return NextMove(stance, "ask_figure", remedy, current, kind, buyer_amount=asked)
    if current is None:
        between = limit
    else:
        between = _whole((current + asked) / 2)
        if _toward_buyer(kind, between, limit):
            between = limit
    return NextMove(stance, "offer", remedy, between, kind, preface="counter", buyer_amount=asked)


def _after_refusal(catalogue: Catalogue, ladder: Ladder, position: Position, stance: str) -> NextMove:
    step = ladder.after_refusal(position.scenario, position.remedy)
    keep = (position.remedy, position.amount, position.amount_kind)
    if step in _REFUSAL_STEPS:
        return NextMove(stance, step, *keep)
    if step == position.remedy and step in ladder.amount_remedies:
        return _better_amount(position, stance, step)
    if step in position.refused or not _fitting(catalogue, position, step):
        return NextMove(stance, "proof", *keep)
    if step in ladder.amount_remedies:
        return _better_amount(position, stance, step)
    return NextMove(stance, "offer", step, position.amount, position.amount_kind, preface="refused")


def _better_amount(position: Position, stance: str, remedy: str) -> NextMove:
    """An amount offer after a refusal: halfway from the current offer to the limit, or the limit."""
    kind = position.amount_kind
    if position.limit is None:
        return NextMove(stance, ASK_LIMIT, remedy, position.amount, kind)
    limit, current = position.limit, position.amount
    if current is not None and remedy == position.remedy and not _toward_buyer(kind, limit, current):
        return NextMove(stance, "ask_figure", remedy, current, kind)     # already at the limit
    if current is None or remedy != position.remedy:
        better = limit if current is None else current
    else:
        better = _whole((current + limit) / 2)
        if not _toward_buyer(kind, better, current) or abs(limit - current) <= 5:
            better = limit
    raised = remedy == position.remedy and current is not None
    return NextMove(stance, "offer", remedy, better, kind, preface="raised" if raised else "refused")


def ladder_table(catalogue: Catalogue, scenario: str, remedy: str, facts: Facts | None = None) -> dict[str, str]:
    """For the gallery and docs: each stance's next step for a scenario's remedy (a move id, or the
    next remedy's id for a refusal)."""
    ladder = ladder_for(catalogue)
    table = dict(ladder.stances)
    position = Position(scenario, remedy, facts or Facts())
    step = ladder.after_refusal(scenario, remedy)
    if step in _REFUSAL_STEPS or (step != remedy and not _fitting(catalogue, position, step)):
        table["refuses"] = step if step in _REFUSAL_STEPS else "proof"
    else:
        table["refuses"] = step
    return table


__all__ = ["after_refund", "STANCES", "MOVES", "ASK_MERCHANT", "ASK_LIMIT", "DECIDE", "Ladder", "Position", "NextMove", "MoveSpec",
           "load_ladder", "ladder_for", "next_move", "ladder_table", "TEMPLATE_PREFIX", "TEMPLATED_MOVES", "MOVE_VARIABLES"]


def after_refund(catalogue: Catalogue, remedy: str | None) -> bool:
    """Whether `remedy` is one for a refund already paid: no request is left to negotiate in
    (negotiation kind 0), so no note goes to the platform's negotiation field."""
    return remedy is not None and remedy in catalogue.remedies and catalogue.remedy(remedy).negotiation == 0
