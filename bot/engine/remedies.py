"""Which remedies fit a case: each remedy states, as catalogue data, the facts it needs and the facts
that rule it out; a scenario states which fitting remedy to recommend for which facts."""

from __future__ import annotations

from dataclasses import dataclass

from bot.engine.catalogue import Catalogue, Condition, Remedy, Scenario
from bot.engine.facts import Facts


@dataclass(frozen=True)
class RemedyOption:
    remedy: str
    recommended: bool
    why: dict[str, str]          # one line per locale


def holds(condition: Condition, facts: Facts) -> bool:
    """Every fact named in the condition has one of the listed values ("any": is present)."""
    for name, allowed in condition.items():
        value = getattr(facts, name)
        if "any" in allowed:
            if value in (None, (), False):
                return False
        elif isinstance(value, tuple):
            if not any(v in allowed for v in value):
                return False
        elif value not in allowed:
            return False
    return True


def holds_any(condition: Condition, facts: Facts) -> bool:
    """Some fact named in the condition has one of its listed values (ruled_out_by, a note's unless)."""
    return any(holds({name: values}, facts) for name, values in condition.items())


def fits(remedy: Remedy, facts: Facts) -> bool:
    if holds_any(remedy.ruled_out_by, facts):
        return False
    return not remedy.requires_any or any(holds(c, facts) for c in remedy.requires_any)


def case_facts(scenario: Scenario, facts: Facts) -> Facts:
    """The description's facts, with what the scenario itself implies where the description is silent."""
    return facts.with_defaults(scenario.facts)


def options(catalogue: Catalogue, scenario_id: str, facts: Facts) -> list[RemedyOption]:
    """The scenario's remedies that fit the facts, the recommended one first."""
    scenario = catalogue.scenario(scenario_id)
    facts = case_facts(scenario, facts)
    fitting = [r for r in scenario.remedies if fits(catalogue.remedy(r), facts)]
    if not fitting:
        return []
    if facts.asked_for in fitting:          # the merchant said which remedy they want
        recommended = facts.asked_for
    else:
        recommended = next((p.remedy for p in scenario.prefer if p.remedy in fitting and holds(p.when, facts)),
                           fitting[0])
    ordered = [recommended, *(r for r in fitting if r != recommended)]
    return [RemedyOption(r, r == recommended, catalogue.remedy(r).why) for r in ordered]


__all__ = ["RemedyOption", "options", "fits", "holds", "holds_any", "case_facts"]
