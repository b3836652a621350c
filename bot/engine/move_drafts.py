"""Drafts for a negotiation move (bot.engine.negotiation): the same variables as an opening draft,
plus what the move needs — the buyer's stance and words, the figure they named, the question's
topic, what they say they did, and for a statement to the platform the negotiation so far.

An `offer` is a remedy's own draft opened as a follow-up (the `preface` variable), so it says what
the opening drafts of that remedy say and nothing more; every other move has its own templates,
`move_<move>.<audience>.j2`, in each pack.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass


from bot.engine.catalogue import Catalogue
from bot.engine.drafts import LETTER_LOCALE, Draft, Engine, MerchantSettings, format_date, format_money
from bot.engine.facts import Facts
from bot.engine.negotiation import TEMPLATE_PREFIX, NextMove, after_refund, ladder_for
from bot.engine.packs import Pack, load_pack
from bot.engine.remedies import case_facts
from bot.engine.stances import DONE_KINDS, QUESTION_TOPICS, WANTS  # what the move templates branch on

MAX_QUOTED_CHARS = 80        # the buyer's words quoted in a statement's history
# Evidence lines of the seed's advice that hold only when the carrier lost the goods ("快递丢件时，…"):
# a statement lists them only where the merchant puts the fault with the carrier.
_CARRIER_LOSS_ONLY = re.compile(r"^(快递丢件时|物流遺失時|If the carrier lost)")
_STAMPED_PROOF = re.compile(r"红章|紅章|stamped", re.I)
_UNBOXING = re.compile(r"开箱|開箱|unboxing", re.I)


@dataclass(frozen=True)
class HistoryEntry:
    """One step of a case's negotiation, as a statement to the platform cites it."""

    on: dt.date
    who: str                          # "shop" or "buyer"
    remedy: str | None = None         # what the shop proposed
    amount: float | None = None
    amount_kind: str = "refund"
    stance: str | None = None         # how the buyer answered
    words: str = ""                   # the buyer's words, as pasted


@dataclass(frozen=True)
class MoveContext:
    """What the buyer's answer said, beyond its stance."""

    topic: str | None = None          # a question's topic (bot.engine.stances.QUESTION_TOPICS)
    done: str | None = None           # what the buyer says they did (DONE_KINDS)
    words: str = ""                   # the buyer's own words
    new_tracking: str | None = None   # a tracking number the buyer gave
    wants: str | None = None          # another remedy the buyer asked for (WANTS)
    agreed: bool = False              # the buyer already agreed to the offer on the table (the last move confirmed it)
    history: tuple[HistoryEntry, ...] = ()


def move_drafts(engine: Engine, scenario: str, step: NextMove, slots: dict[str, object], pack: Pack,
                settings: MerchantSettings = MerchantSettings(), facts: Facts | dict | None = None,
                context: MoveContext = MoveContext(), today: dt.date | None = None) -> list[Draft]:
    """Every draft of the move, in its audiences' order; none for a step that asks the merchant."""
    if not step.writes_drafts or step.remedy is None:
        return []
    catalogue = engine.catalogue
    slots = dict(slots)
    if step.amount is not None:
        slots["amount"] = step.amount
    if context.new_tracking:
        slots["tracking_number"] = context.new_tracking
    spec = ladder_for(catalogue).move(step.move)
    if step.move == "offer":
        audiences = [a for a in catalogue.remedy(step.remedy).audiences if a != "carrier"]
    else:
        audiences = list(spec.audiences)
    if after_refund(catalogue, step.remedy):     # no request left: nothing for the negotiation field
        audiences = [a for a in audiences if a != "platform" or step.move == "statement"]
    out = []
    for audience in audiences:
        template = step.remedy if step.move == "offer" else TEMPLATE_PREFIX + step.move
        writing = _statement_pack(pack) if step.move == "statement" and audience == "platform" else pack
        text, missing = _render(engine, writing, scenario, step, audience, slots, settings, today, facts, context, template)
        reading = None
        if writing is not pack:         # the platform's reviewers read Simplified; the merchant reads their own copy
            reading, _missing = _render(engine, pack, scenario, step, audience, slots, settings, today, facts, context, template)
        out.append(Draft(step.remedy, audience, text, missing, reading, move=step.move))
    return out


def _render(engine: Engine, pack: Pack, scenario: str, step: NextMove, audience: str, slots: dict[str, object],
            settings: MerchantSettings, today: dt.date | None, facts, context: MoveContext,
            template: str) -> tuple[str, tuple[str, ...]]:
    variables = engine.variables(pack, scenario, step.remedy, audience, slots, settings, today, True, step.amount_kind, facts)
    variables.update(_move_variables(engine.catalogue, pack, scenario, step, context, Engine.facts_of(facts)))
    return engine.rendered(pack, template, audience, variables)


def _statement_pack(pack: Pack) -> Pack:
    """A statement for the platform's intervention goes to WeChat Shop's reviewers in mainland China:
    written from a Simplified Chinese pack, as carrier letters are."""
    return pack if pack.locale == LETTER_LOCALE else load_pack(LETTER_LOCALE)


def _move_variables(catalogue: Catalogue, pack: Pack, scenario: str, step: NextMove,
                    context: MoveContext, facts: Facts) -> dict[str, object]:
    locale = pack.manifest.locale
    remedy = catalogue.remedy(step.remedy) if step.remedy else None
    facts = case_facts(catalogue.scenario(scenario), facts)
    return {
        "move": step.move,
        "stance": step.stance,
        "preface": step.preface,
        "negotiation": remedy.negotiation if remedy else 2,
        "amount_offered": step.amount is not None,
        "buyer_amount": format_money(step.buyer_amount, pack) if step.buyer_amount is not None else "",
        "topic": context.topic or "",
        "done": context.done or "",
        "buyer_words": context.words,
        "wants": context.wants or "",
        "agreed": context.agreed,
        "new_tracking": context.new_tracking or "",
        "history": [_history_line(catalogue, pack, entry) for entry in context.history],
        "evidence_to_upload": _evidence_to_upload(catalogue.scenario(scenario).advice[locale].evidence, facts),
    }


def _evidence_to_upload(advice: tuple[str, ...], facts: Facts) -> list[str]:
    """The seed's evidence advice that fits the case, as short items: a carrier's stamped proof only where
    the merchant puts the fault with the carrier (or the parcel is long stalled), an unboxing video only
    where the goods are back."""
    out = []
    for line in advice:
        if _CARRIER_LOSS_ONLY.match(line) and facts.fault != "carrier":
            continue
        if _STAMPED_PROOF.search(line) and facts.fault != "carrier" and not facts.stall_long:
            continue
        if _UNBOXING.search(line) and facts.goods not in ("inspected", "delivered"):
            continue
        out.append(line.rstrip("。. "))
    return out


def _history_line(catalogue: Catalogue, pack: Pack, entry: HistoryEntry) -> dict[str, object]:
    locale = pack.manifest.locale
    words = " ".join(entry.words.split())
    if len(words) > MAX_QUOTED_CHARS:
        words = words[: MAX_QUOTED_CHARS - 1] + "…"
    return {
        "date": format_date(entry.on, format="long", locale=locale),
        "who": entry.who,
        "remedy": entry.remedy or "",
        "remedy_title": catalogue.remedy(entry.remedy).title[locale] if entry.remedy in catalogue.remedies else "",
        # an offer's amount only where the offer is an amount (a refund, a deduction); a buyer's figure always
        "amount": format_money(entry.amount, pack) if entry.amount is not None and (
            entry.who == "buyer" or entry.remedy in ladder_for(catalogue).amount_remedies) else "",
        "amount_kind": entry.amount_kind,
        "stance": entry.stance or "",
        "words": words,
    }


__all__ = ["HistoryEntry", "MoveContext", "move_drafts", "QUESTION_TOPICS", "DONE_KINDS", "WANTS"]
