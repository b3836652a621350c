"""The scenario catalogue: scenarios, remedies and carriers, read from the YAML under bot/data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from bot.resources import data_dir

# libyaml's loader when PyYAML was built with it: the catalogue parses several times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

LOCALES: tuple[str, ...] = ("zh_CN", "zh_TW", "en")
DEFAULT_LOCALE = "zh_CN"
AUDIENCES: tuple[str, ...] = ("buyer", "platform", "carrier")
UNKNOWN = "unknown"
SCENARIO_IDS: tuple[str, ...] = (
    "tracking_number_invalid",
    "wrong_return_address",
    "return_in_transit_deadline",
    "received_not_inspected",
    "shipment_cancelled",
    "carrier_tracking_stalled",
    "wrong_item_returned",
    "missing_items",
    "resale_affected",
    "quality_issue_return",
    "damaged_in_transit",
    UNKNOWN,
)
REQUIRED_REMEDIES = ("address_correction", "resend_missing_items", "partial_refund", "carrier_claim")
SLOT_NAMES: tuple[str, ...] = ("tracking_number", "carrier", "amount", "quantity", "order_id")
# Details a draft may leave as a placeholder and the bot may ask for: the slots, and what only the
# merchant knows (how long inspection takes, the parcel's value, when it was sent, insurance, a phone).
DETAIL_NAMES: tuple[str, ...] = (*SLOT_NAMES, "time_frame", "value", "ship_date", "insured", "phone")


class CatalogueError(Exception):
    """The catalogue data is inconsistent; the message names the file and the problem."""


@dataclass(frozen=True)
class Advice:
    action: str
    steps: tuple[str, ...]
    warnings: tuple[str, ...]
    evidence: tuple[str, ...]


# A condition on facts (bot/engine/facts.py): fact name → the values that satisfy it ("any": present).
Condition = dict[str, tuple[object, ...]]


@dataclass(frozen=True)
class Remedy:
    id: str
    negotiation: int
    needs: tuple[str, ...]
    audiences: tuple[str, ...]
    title: dict[str, str]
    summary: dict[str, str]
    why: dict[str, str] = field(default_factory=dict)       # one line: why this remedy fits, when recommended
    requires_any: tuple[Condition, ...] = ()                # fits only if one of these holds (none: always)
    ruled_out_by: Condition = field(default_factory=dict)   # never offered when this holds


@dataclass(frozen=True)
class Preference:
    when: Condition
    remedy: str


@dataclass(frozen=True)
class Scenario:
    id: str
    seed: str
    title: dict[str, str]
    remedies: tuple[str, ...]
    advice: dict[str, Advice]
    facts: dict[str, object] = field(default_factory=dict)      # what the scenario implies unless told otherwise
    prefer: tuple[Preference, ...] = ()                          # which fitting remedy to recommend, by the facts


@dataclass(frozen=True)
class Carrier:
    id: str
    name: dict[str, str]
    aliases: tuple[str, ...]
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class CardNote:
    when: Condition                 # every fact named holds
    unless: Condition               # none of these holds
    not_in: tuple[str, ...]         # scenarios whose own advice already says it
    text: dict[str, str]
    replaces_action: bool = False   # said in place of the scenario's platform action, not beside it
    only_in: tuple[str, ...] = ()   # the scenarios it is about (none: every one but not_in)


@dataclass(frozen=True)
class Catalogue:
    scenarios: dict[str, Scenario]
    remedies: dict[str, Remedy]
    carriers: dict[str, Carrier]
    examples: dict[str, tuple[str, ...]] = field(repr=False)
    keywords: dict[str, dict[str, float]] = field(repr=False)
    # What to do once the refund has already gone out (the fact refund_paid), in place of a scenario's
    # negotiation advice; the scenario's evidence still applies.
    after_refund: dict[str, Advice] = field(default_factory=dict, repr=False)
    # Lines the card adds for what the merchant asked or what the facts make urgent ("可以拒绝吗").
    card_notes: tuple["CardNote", ...] = field(default=(), repr=False)

    def scenario(self, scenario_id: str) -> Scenario:
        return self.scenarios[scenario_id]

    def remedy(self, remedy_id: str) -> Remedy:
        return self.remedies[remedy_id]

    def draft_keys(self) -> list[tuple[str, str]]:
        """Every (remedy, audience) a complete pack must have a template for."""
        return [(r.id, a) for r in self.remedies.values() for a in r.audiences]


def _read_yaml(path: Path) -> object:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_YAML_LOADER)
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path}: not valid YAML ({exc})") from None


def _localised(value: object, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or any(loc not in value for loc in LOCALES):
        raise CatalogueError(f"{where}: needs text for {', '.join(LOCALES)}")
    return {loc: str(value[loc]) for loc in LOCALES}


def _advice(raw: object, where: str) -> Advice:
    if not isinstance(raw, dict) or "action" not in raw:
        raise CatalogueError(f"{where}: advice needs an action")
    return Advice(
        action=str(raw["action"]),
        steps=tuple(str(s) for s in raw.get("steps") or ()),
        warnings=tuple(str(s) for s in raw.get("warnings") or ()),
        evidence=tuple(str(s) for s in raw.get("evidence") or ()),
    )


FACT_NAMES = ("item", "conditions", "received_instead", "accessory", "fault", "goods", "evidence",
              "stall_days", "stall_long", "amount_named", "item_word", "accessory_word", "time_frame", "pickup", "item_count", "unit_word", "asked_for", "carrier_said", "accessories", "counted_word", "offer_refused", "deadline_near", "order_not_received", "return_named", "refund_paid", "asks_to_reject", "signed_not_received", "swap_suspected", "never_shipped", "platform_ruled", "buyer_lost_it", "buyer_says_sent", "defect_confirmed", "carrier_tracing", "number_elsewhere", "pickup_failed", "refund_without_return", "no_return_needed", "return_cancelled")


def _condition(raw: object, where: str) -> Condition:
    if not isinstance(raw, dict) or any(k not in FACT_NAMES for k in raw):
        raise CatalogueError(f"{where}: a condition maps fact names ({', '.join(FACT_NAMES)}) to lists of values")
    return {str(k): tuple(v if isinstance(v, list) else [v]) for k, v in raw.items()}


def load_catalogue(directory: Path | None = None) -> Catalogue:
    directory = directory or data_dir()
    spec = _read_yaml(directory / "scenarios.yaml")
    if not isinstance(spec, dict):
        raise CatalogueError(f"{directory / 'scenarios.yaml'}: expected a mapping")
    where = directory / "scenarios.yaml"

    remedies: dict[str, Remedy] = {}
    for rid, raw in (spec.get("remedies") or {}).items():
        audiences = tuple(raw.get("audiences") or ("buyer", "platform"))
        if any(a not in AUDIENCES for a in audiences):
            raise CatalogueError(f"{where}: remedy {rid} names an unknown audience")
        needs = tuple(raw.get("needs") or ())
        if any(n not in DETAIL_NAMES for n in needs):
            raise CatalogueError(f"{where}: remedy {rid} needs an unknown slot")
        remedies[rid] = Remedy(
            id=rid,
            negotiation=int(raw.get("negotiation", 2)),
            needs=needs,
            audiences=audiences,
            title=_localised(raw.get("title"), f"{where}: remedy {rid} title"),
            summary=_localised(raw.get("summary"), f"{where}: remedy {rid} summary"),
            why=_localised(raw.get("why"), f"{where}: remedy {rid} why"),
            requires_any=tuple(_condition(c, f"{where}: remedy {rid} requires_any") for c in raw.get("requires_any") or ()),
            ruled_out_by=_condition(raw.get("ruled_out_by") or {}, f"{where}: remedy {rid} ruled_out_by"),
        )
    missing = [r for r in REQUIRED_REMEDIES if r not in remedies]
    if missing:
        raise CatalogueError(f"{where}: required remedies missing: {', '.join(missing)}")

    scenarios: dict[str, Scenario] = {}
    for sid, raw in (spec.get("scenarios") or {}).items():
        for rid in raw.get("remedies") or ():
            if rid not in remedies:
                raise CatalogueError(f"{where}: scenario {sid} names unknown remedy {rid}")
        advice_raw = raw.get("advice") or {}
        scenarios[sid] = Scenario(
            id=sid,
            seed=str(raw.get("seed", "")),
            title=_localised(raw.get("title"), f"{where}: scenario {sid} title"),
            remedies=tuple(raw.get("remedies") or ()),
            advice={loc: _advice(advice_raw.get(loc), f"{where}: scenario {sid} advice {loc}") for loc in LOCALES},
            facts=dict(raw.get("facts") or {}),
            prefer=tuple(Preference(_condition(p.get("when"), f"{where}: scenario {sid} prefer"), str(p.get("remedy")))
                         for p in raw.get("prefer") or ()),
        )
        for preference in scenarios[sid].prefer:
            if preference.remedy not in scenarios[sid].remedies:
                raise CatalogueError(f"{where}: scenario {sid} prefers {preference.remedy}, which is not one of its remedies")
    if set(scenarios) != set(SCENARIO_IDS):
        raise CatalogueError(
            f"{where}: scenario ids differ from the spec: "
            f"missing {sorted(set(SCENARIO_IDS) - set(scenarios))}, extra {sorted(set(scenarios) - set(SCENARIO_IDS))}"
        )

    carriers_raw = _read_yaml(directory / "carriers.yaml")
    carriers = {
        cid: Carrier(
            id=cid,
            name=_localised(raw.get("name"), f"carriers.yaml: {cid} name"),
            aliases=tuple(str(a).lower() for a in raw.get("aliases") or ()),
            pattern=re.compile(raw["pattern"]),
        )
        for cid, raw in (carriers_raw or {}).get("carriers", {}).items()
    }

    # examples/train.yaml first, then every other examples/*.yaml in name order, merged per scenario.
    example_files = sorted((directory / "examples").glob("*.yaml"), key=lambda f: (f.name != "train.yaml", f.name))
    merged: dict[str, list[str]] = {sid: [] for sid in SCENARIO_IDS}
    for example_file in example_files:
        raw = _read_yaml(example_file) or {}
        for sid in SCENARIO_IDS:
            merged[sid].extend(str(t) for t in raw.get(sid) or ())
    examples = {sid: tuple(dict.fromkeys(texts)) for sid, texts in merged.items()}
    keywords_raw = _read_yaml(directory / "keywords.yaml") or {}
    keywords = {sid: {str(k).lower(): float(w) for k, w in (keywords_raw.get(sid) or {}).items()} for sid in SCENARIO_IDS}

    after_refund_raw = spec.get("after_refund") or {}
    after_refund = {loc: _advice(after_refund_raw.get(loc), f"{where}: after_refund {loc}") for loc in LOCALES}
    card_notes = tuple(
        CardNote(when=_condition(raw.get("when"), f"{where}: card_notes when"),
                 unless=_condition(raw.get("unless") or {}, f"{where}: card_notes unless"),
                 not_in=tuple(str(sid) for sid in raw.get("not_in") or ()),
                 text=_localised(raw.get("text"), f"{where}: card_notes text"),
                 replaces_action=bool(raw.get("replaces_action")),
                 only_in=tuple(str(sid) for sid in raw.get("only_in") or ()))
        for raw in spec.get("card_notes") or ())
    if any(sid not in scenarios for note in card_notes for sid in (*note.not_in, *note.only_in)):
        raise CatalogueError(f"{where}: card_notes not_in or only_in names an unknown scenario")
    return Catalogue(scenarios=scenarios, remedies=remedies, carriers=carriers, examples=examples, keywords=keywords,
                     after_refund=after_refund, card_notes=card_notes)


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    return load_catalogue()
