"""`negobot reply`: one buyer answer → its stance, what it states, the next move's advice and drafts,
as the JSON object SPEC.md names. The same reader, ladder and move drafts as the bot."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.engine.catalogue import UNKNOWN
from bot.engine.drafts import Engine, InputError, MerchantSettings
from bot.engine.move_drafts import MoveContext, move_drafts
from bot.engine.negotiation import Position, after_refund, ladder_for, next_move
from bot.engine.packs import load_pack
from bot.engine.stances import check_answer


def reply_report(engine: Engine, text: str, scenario: str, *, remedy: str | None = None, amount: float | None = None,
                 amount_kind: str = "refund", limit: float | None = None, locale: str = "zh_CN",
                 pack_dir: Path | str | None = None, settings: MerchantSettings = MerchantSettings(),
                 description: str | None = None) -> dict[str, object]:
    """The next move for one buyer answer in a case of `scenario` (on `remedy`, offering `amount`)."""
    words = check_answer(text)
    if scenario not in engine.catalogue.scenarios or scenario == UNKNOWN:
        raise InputError(f"unknown scenario {scenario!r} (see `negobot scenarios`)")
    analysis = engine.analyse(description) if description else None
    facts = analysis.facts if analysis else engine.facts_of(None)
    if amount is not None:
        facts = replace(facts, amount_named=True)     # an amount on the table: the amount remedy leads
    options = [o.remedy for o in engine.remedy_options(scenario, facts)]
    if remedy is None:
        remedy = options[0] if options else None
    elif remedy not in engine.catalogue.scenario(scenario).remedies:
        raise InputError(f"remedy {remedy!r} is not one of {scenario}'s: {', '.join(engine.catalogue.scenario(scenario).remedies)}")
    pack = load_pack(locale if pack_dir is None else (locale or None), pack_dir)
    reading = engine.stances.read(words)
    stance = reading.stance if reading.sure else "unclear"
    step = next_move(engine.catalogue, Position(scenario, remedy, facts, amount, amount_kind, limit), stance,
                     amount=reading.slots.get("amount"), amount_kind=reading.slots.get("amount_kind"),
                     wants=reading.slots.get("wants"), done=reading.done,
                     new_tracking=bool(reading.slots.get("tracking_number")), topic=reading.topic)
    slots = dict(analysis.slots) if analysis else {}
    if amount is not None:
        slots["amount"] = amount
    context = MoveContext(topic=reading.topic, done=reading.done, words=reading.text or words[:300],
                          new_tracking=reading.slots.get("tracking_number"), wants=reading.slots.get("wants"))
    drafts = move_drafts(engine, scenario, step, slots, pack, settings, facts, context)
    advice = [ladder_for(engine.catalogue).advice(step.move, pack.locale, after_refund(engine.catalogue, step.remedy))]
    return {
        "stance": reading.stance,
        "confidence": round(reading.confidence, 4),
        "sure": reading.sure,
        "slots": {k: v for k, v in reading.slots.items() if v is not None},
        "advice": advice,
        "next": {"move": step.move, "remedy": step.remedy, "amount": step.amount},
        "drafts": [{"move": d.move, "remedy": d.remedy, "audience": d.audience, "text": d.text,
                    **({"reading": d.reading} if d.reading else {})} for d in drafts],
    }


__all__ = ["reply_report"]
