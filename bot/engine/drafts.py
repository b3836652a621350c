"""Draft assembly: a description → scenario, slots, advice and filled drafts in one pack."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.numbers import format_currency

from bot.engine.catalogue import DEFAULT_LOCALE, DETAIL_NAMES, UNKNOWN, Catalogue, default_catalogue
from bot.engine.classifier import DEADLINE_ONLY, Prediction, ScenarioClassifier
from bot.engine.facts import FactExtractor, Facts, default_fact_extractor
from bot.engine.packs import PLACEHOLDER_CLOSE, PLACEHOLDER_OPEN, Pack, load_pack
from bot.engine.remedies import RemedyOption, case_facts, holds, holds_any, options
from bot.engine.slots import AMOUNT_KINDS, SlotExtractor

LETTER_LOCALE = "zh_CN"      # a carrier letter goes to a mainland carrier: always Simplified Chinese
_SURROGATE = re.compile("[\ud800-\udfff]")
_MARKED = re.compile(f"{PLACEHOLDER_OPEN}([^{PLACEHOLDER_CLOSE}]*){PLACEHOLDER_CLOSE}")
_JOINERS = {"zh_CN": "，", "zh_TW": "，"}
_PACKAGING = frozenset({"packaging_damaged", "packaging_wet", "packaging_intact"})   # the box, not the item: `packaging`, not `condition`


def _joined(parts: list[str], locale: str, zh_joiner: str | None = None) -> str:
    """zh: 碎了，外包装破损了 (or 充电器和遥控器); en: worn, stained and with the tags cut off."""
    if locale != "en" or len(parts) < 2:
        return (zh_joiner or _JOINERS.get(locale, "")).join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _plural(noun: str) -> str:
    """English plural of an item name, for "2 mugs" (the lexicon's names are regular or already plural)."""
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun if noun.endswith("s") else noun + "es"
    return noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"


TONES = ("warm", "formal")
MAX_DESCRIPTION_CHARS = 4000
_ADVICE_LABELS = {
    "zh_CN": ("注意：", "留证："),
    "zh_TW": ("注意：", "留存證據："),
    "en": ("Warning: ", "Keep as evidence: "),
}


class InputError(ValueError):
    """A description or setting the engine cannot work with; the message is for the merchant."""


@dataclass(frozen=True)
class MerchantSettings:
    shop: str | None = None
    signature: str | None = None
    tone: str = "warm"

    def __post_init__(self) -> None:
        if self.tone not in TONES:
            raise InputError(f"tone must be one of {', '.join(TONES)} (got {self.tone!r})")


@dataclass(frozen=True)
class Draft:
    remedy: str
    audience: str
    text: str
    missing: tuple[str, ...] = ()        # details left as visible placeholders, in DETAIL_NAMES order
    reading: str | None = None           # a carrier letter in the merchant's language, to read, not to send
    move: str | None = None              # a negotiation move's draft (bot.engine.negotiation.MOVES); None: an opening


@dataclass(frozen=True)
class Analysis:
    prediction: Prediction
    slots: dict[str, object] = field(default_factory=dict)
    amount_kind: str | None = None      # "refund" or "deduction" when an amount was found
    facts: Facts = field(default_factory=Facts)

    @property
    def scenario(self) -> str:
        return self.prediction.scenario


def check_description(text: str) -> str:
    """The description as the engine will read it, or InputError with a one-line reason."""
    if not isinstance(text, str):
        raise InputError("the description must be text")
    stripped = text.strip()
    if not stripped:
        raise InputError("the description is empty: describe the return problem in a sentence")
    if len(stripped) > MAX_DESCRIPTION_CHARS:
        raise InputError(
            f"the description is {len(stripped)} characters long; negobot reads up to {MAX_DESCRIPTION_CHARS} — "
            "describe the case in a few sentences"
        )
    not_text = "\ufffd" in stripped or _SURROGATE.search(stripped) is not None
    if not stripped.isprintable():      # the usual text is wholly printable: counted only when not
        printable = sum(ch.isprintable() or ch.isspace() for ch in stripped)
        not_text = not_text or printable < 0.9 * len(stripped)
    if not_text:
        raise InputError("the description does not look like text (binary data?)")
    return stripped


_NOT_THE_DEADLINE = frozenset({DEADLINE_ONLY})
WRONG_ITEM = "wrong_item_returned"
MISSING = "missing_items"
TRACKING_INVALID = "tracking_number_invalid"
WRONG_ADDRESS = "wrong_return_address"
DAMAGED = "damaged_in_transit"
CANCELLED = "shipment_cancelled"
RESALE = "resale_affected"
_STALLED_AFTER_DAYS = 3      # days without a tracking update that make a parcel "stuck", not "on its way"
_WATER = frozenset({"soaked", "packaging_wet"})       # conditions that say water, not who let it in
_ABOUT_THE_CONDITION = frozenset({"resale_affected", "quality_issue_return"})
_NOTHING_OF_OURS = frozenset({"bricks", "empty_box", "rubbish"})
QUALITY = "quality_issue_return"
STALLED = "carrier_tracking_stalled"
# Cases of a parcel not yet back and opened: never the case when the merchant has opened it.
_NOT_BACK_YET = frozenset({STALLED, "received_not_inspected"})
# The goods cases whose drafts, once the refund is paid, all ask the buyer directly (recover_after_refund).
_SETTLED_WITH_THE_BUYER = frozenset({MISSING, WRONG_ITEM, "resale_affected", QUALITY})
_PLAINLY_SAID = 0.85     # a reading this sure stands against one contrary fact
# The cases about what came back in the parcel (the others are about where it is or went).
_ABOUT_THE_GOODS = frozenset({"missing_items", "resale_affected", "quality_issue_return", "damaged_in_transit",
                              "received_not_inspected"})


def _goods_not_on_the_way(facts: Facts) -> bool:
    """"Still on its way, the deadline near" is a parcel in transit, and its drafts tell the buyer so.
    A near deadline is not that case when the goods are back with the shop (signed for, inspected),
    or when the description tells what is wrong with them without saying the parcel is on its way
    ("the zipper broke … deadline to respond is tomorrow"): then the problem it states is the case."""
    if facts.goods == "not_back":
        return False
    return facts.goods is not None or bool(facts.conditions or facts.received_instead or facts.accessory
                                           or facts.accessories)


def _a_return_gone_wrong(facts: Facts) -> bool:
    """The description tells of a return — one that is back, or one it speaks of — and of something
    wrong with the goods (a defect, a missing part, other goods inside), whatever else it goes on to ask."""
    return (facts.goods in ("inspected", "delivered") or facts.return_named or bool(facts.received_instead)) and bool(
        facts.conditions or facts.accessory or facts.accessories or facts.received_instead)


class Engine:
    """Everything a transport needs from the engine, over one catalogue."""

    def __init__(self, catalogue: Catalogue | None = None):
        self.catalogue = catalogue or default_catalogue()
        self.classifier = ScenarioClassifier(self.catalogue)
        self.slots = SlotExtractor(self.catalogue)
        self.facts: FactExtractor = default_fact_extractor()
        self._stances = None

    @property
    def stances(self):
        """The buyer-answer reader (bot.engine.stances), trained the first time it is needed."""
        if self._stances is None:
            from bot.engine.stances import StanceReader, default_stance_reader
            self._stances = default_stance_reader() if self.catalogue is default_catalogue() else StanceReader(self.catalogue)
        return self._stances

    # ---- understanding -------------------------------------------------
    def analyse(self, description: str) -> Analysis:
        slots, amount_kind = self.slots.extract_details(description)
        facts = self.facts.extract(description)
        if "amount" in slots and not facts.offer_refused:     # an amount the buyer turned down is not proposed again
            facts = replace(facts, amount_named=True)
        # what the description says of a refund already paid is not the problem with the return (and
        # "超时了系统直接把298退给他了" read as a deadline): the case is read without it
        read = self.facts.without_refund_state(description) if facts.refund_paid else description
        return Analysis(self._reconciled(self.classifier.predict(read), read, facts, "quantity" in slots),
                        slots, amount_kind, facts)

    def _reconciled(self, prediction: Prediction, description: str, facts: Facts, counted: bool = False) -> Prediction:
        """The classifier's reading checked against the facts: where they contradict it, another case,
        or — when what is left reads weakly — the merchant is asked which case it is (a confidence
        below min_confidence) rather than drafted for on a guess."""
        settings = self.classifier.settings
        ask = round(settings.min_confidence - 0.01, 4)
        if prediction.scenario == DEADLINE_ONLY and (_goods_not_on_the_way(facts) or facts.refund_paid or facts.never_shipped):
            # (once the refund has gone out, no deadline is left: what else the words say is the case)
            prediction = self.classifier.predict(description, exclude=_NOT_THE_DEADLINE)
            if prediction.confidence < settings.several_max_confidence:
                # the words spoke mostly of the deadline, and what is left reads weakly
                prediction = replace(prediction, confidence=min(prediction.confidence, ask))
        if prediction.scenario == STALLED and facts.goods == "inspected":
            # "充电仓没了…买家说是我们弄丢的": the parcel is back and opened — whatever was lost, it is not a
            # parcel stuck on its way
            prediction = self.classifier.predict(description, exclude=_NOT_THE_DEADLINE | {STALLED})
            if prediction.confidence < settings.several_max_confidence:
                prediction = replace(prediction, confidence=min(prediction.confidence, ask))
        if prediction.scenario == UNKNOWN and (_a_return_gone_wrong(facts) or facts.refund_paid and facts.return_named
                                               or facts.never_shipped) \
                and prediction.alternatives:
            # the words read as out of scope, yet the facts tell of a return with something wrong with
            # it, of a return whose refund is already paid, or of one never sent: not "this is not a
            # return problem"
            # (not a parcel still away when the goods are back and opened)
            fitting = [a for a in prediction.alternatives if not (facts.goods == "inspected" and a[0] in _NOT_BACK_YET)]
            if fitting:
                best, probability = fitting[0]
                prediction = Prediction(best, round(min(probability, ask), 4), tuple(a for a in fitting[1:]))
        if facts.received_instead in _NOTHING_OF_OURS and prediction.scenario in _ABOUT_THE_CONDITION | {
                "received_not_inspected", MISSING, WRONG_ITEM}:
            # bricks, an empty box, rubbish came back: what came back is not ours — never a defect to
            # settle, nor goods waiting to be inspected, nor one piece short: the wrong-item case, as
            # sure as the reading is that the goods came back wrong or short (its drafts name the bricks
            # or the empty box, and ask for the shop's goods back)
            ranked = ((prediction.scenario, prediction.confidence), *prediction.alternatives)
            short_or_wrong = sum(p for s, p in ranked if s in (MISSING, WRONG_ITEM))
            sure = min(short_or_wrong if prediction.scenario in (MISSING, WRONG_ITEM) else prediction.confidence, 0.8)
            if prediction.scenario == WRONG_ITEM:
                sure = max(sure, prediction.confidence)         # (a reading already this sure stays so)
            sure = max(sure, settings.min_confidence)           # bricks or an empty box decide it: not asked
            prediction = Prediction(WRONG_ITEM, round(sure, 4), _first(ranked, WRONG_ITEM)[1:4], prediction.also)
        if (facts.received_instead and prediction.scenario in _ABOUT_THE_GOODS
                and prediction.confidence < _PLAINLY_SAID):
            # other goods came back in place of the shop's: a wrong item drafted as a missing one tells
            # the buyer something else happened — asked, with the wrong item among the choices
            prediction = _asked_first(prediction, WRONG_ITEM, ask)
        if (facts.fault is None and facts.conditions and set(facts.conditions) <= _WATER
                and prediction.scenario in _ABOUT_THE_CONDITION and prediction.confidence < _PLAINLY_SAID):
            # "羽绒服退回来被水泡了": water, and nobody said how — the rain on the way as likely as the buyer;
            # asked, with the carrier's damage first, rather than drafted as the buyer's doing
            prediction = _asked_first(prediction, DAMAGED, ask)
        if (counted and not facts.conditions and prediction.scenario in _ABOUT_THE_CONDITION
                and prediction.confidence < _PLAINLY_SAID):
            # "5盒装…结果就3盒，另外2盒没了": a count and nothing wrong with the goods is missing items
            # more likely than goods that can't be resold — asked, with missing items first
            prediction = _asked_first(prediction, MISSING, ask)
        if facts.number_elsewhere and prediction.scenario not in (TRACKING_INVALID, WRONG_ADDRESS):
            # "单号查了收件人是别人": the number leads to someone else's parcel — nothing of the shop's came
            # back to be wrong, missing or waiting: the number is what to check (or where it went)
            prediction = _read_as(prediction, TRACKING_INVALID, settings.min_confidence,
                                  then=WRONG_ADDRESS)        # where it went: the other reading
        if prediction.scenario in (WRONG_ITEM, MISSING) and facts.goods == "not_back" and not facts.received_instead \
                and not facts.accessory and not facts.conditions:
            # "还在路上…我怕她里面寄的不是我那条": nothing has come back to be wrong or short yet
            prediction = self.classifier.predict(description, exclude=frozenset({WRONG_ITEM, MISSING}))
        if facts.pickup_failed and not facts.refund_paid and prediction.scenario != CANCELLED \
                and facts.goods != "inspected" and not facts.conditions:
            # "约了上门取件三次快递员都没来…要仅退款": the return never left — the pickup case, whatever else
            # the words lean to (never a defect nobody reported)
            prediction = _read_as(prediction, CANCELLED, settings.min_confidence)
        if facts.return_cancelled and not facts.pickup_failed and prediction.scenario == DEADLINE_ONLY:
            # "cancelled the return pickup twice … the deadline is tomorrow": nothing is on its way
            prediction = _read_as(prediction, CANCELLED, settings.min_confidence)
        if prediction.scenario == DAMAGED and facts.fault == "buyer":
            # "买家就包了一层泡沫袋 快递说包装不合格不赔": broken by the buyer's packing — settled with the
            # buyer as goods that can't be resold, not claimed from a carrier that refused
            prediction = _read_as(prediction, RESALE, settings.min_confidence)
        if prediction.scenario == DEADLINE_ONLY and facts.goods == "not_back" and (
                (facts.stall_days or 0) >= _STALLED_AFTER_DAYS or facts.stall_long):
            # "stuck in transit 6 days no updates and the window closes tomorrow": a parcel to trace (and
            # the time extended), not one simply on its way
            prediction = _read_as(prediction, STALLED, settings.min_confidence)
        if facts.order_not_received and not facts.return_named and prediction.scenario != UNKNOWN:
            # the buyer never got the order, and no return is spoken of: the shop's delivery, not a return
            others = [(s, p) for s, p in prediction.alternatives if s != UNKNOWN][:2]
            return Prediction(UNKNOWN, 0.5, ((prediction.scenario, min(prediction.confidence, 0.5)), *others))
        if facts.refund_paid and DEADLINE_ONLY in prediction.also:
            # "平台已经自动退款了": the deadline has passed, it is no further problem to handle
            prediction = replace(prediction, also=tuple(s for s in prediction.also if s != DEADLINE_ONLY))
        if prediction.confidence < settings.min_confidence and (
                facts.refund_paid and prediction.scenario in _SETTLED_WITH_THE_BUYER and _a_return_gone_wrong(facts)
                or facts.defect_confirmed and prediction.scenario == QUALITY and facts.conditions):
            # Once the refund is paid, every one of these cases ends in the same message — ask the buyer
            # directly, naming what was found — so which of them it is changes no draft; and a defect the
            # merchant confirms is the quality case however the rest reads. Not asked "which case?".
            prediction = replace(prediction, confidence=settings.min_confidence)
        return prediction

    @staticmethod
    def facts_of(facts: Facts | dict | None) -> Facts:
        return _as_facts(facts)

    def remedy_options(self, scenario: str, facts: Facts | dict | None = None) -> list[RemedyOption]:
        """The scenario's remedies that fit the facts, recommended first (none for `unknown`)."""
        if scenario == UNKNOWN:
            return []
        return options(self.catalogue, scenario, _as_facts(facts))

    # ---- advice --------------------------------------------------------
    def advice(self, scenario: str, locale: str, facts: Facts | dict | None = None) -> list[str]:
        """The platform action first, then the steps, warnings and evidence to keep. Once the refund has
        gone out, the after-refund advice replaces the scenario's negotiation (its evidence stays)."""
        advice = self.catalogue.scenario(scenario).advice[locale]
        warn, keep = _ADVICE_LABELS[locale]
        instead = next((note.text[locale] for note in self._notes(scenario, facts) if note.replaces_action), None)
        if scenario != UNKNOWN and _fact(facts, "refund_paid"):
            after = self.catalogue.after_refund[locale]
            return [instead or after.action, *after.steps, *(warn + w for w in after.warnings), *(keep + e for e in advice.evidence)]
        return [instead or advice.action, *advice.steps, *(warn + w for w in advice.warnings), *(keep + e for e in advice.evidence)]

    def card_notes(self, scenario: str, locale: str, facts: Facts | dict | None) -> list[str]:
        """The catalogue's card notes that hold for the case ("可以拒绝吗" answered, an automatic refund
        close): none for an unknown one, and none without one of the facts they need."""
        return [note.text[locale] for note in self._notes(scenario, facts) if not note.replaces_action]

    def _notes(self, scenario: str, facts: Facts | dict | None) -> list:
        notes = self.catalogue.card_notes
        if scenario == UNKNOWN or not any(_fact(facts, name) for note in notes for name in note.when):
            return []
        facts = case_facts(self.catalogue.scenario(scenario), _as_facts(facts))    # with the scenario's defaults
        return [note for note in notes
                if scenario not in note.not_in and (not note.only_in or scenario in note.only_in)
                and holds(note.when, facts) and not holds_any(note.unless, facts)]

    # ---- drafts --------------------------------------------------------
    def details(self, pack: Pack, slots: dict[str, object], settings: MerchantSettings,
                mark_placeholders: bool = False) -> dict[str, object]:
        """The merchant's details as a template sees them: formatted, or the pack's placeholder."""
        manifest = pack.manifest

        def placeholder(key: str) -> str:
            text = manifest.placeholder.format(label=manifest.placeholders.get(key, key))
            return f"{PLACEHOLDER_OPEN}{text}{PLACEHOLDER_CLOSE}" if mark_placeholders else text

        shop = settings.shop.strip() if settings.shop and settings.shop.strip() else placeholder("shop")
        signature = settings.signature.strip() if settings.signature and settings.signature.strip() else None
        if signature is None:
            signature = manifest.default_signature.replace("{shop}", shop)
        carrier = self.catalogue.carriers.get(slots.get("carrier"))
        amount = slots.get("amount")
        value = slots.get("value", amount)      # a claim's value: as the merchant gave it, else the amount named
        return {
            "shop": shop,
            "signature": signature,
            "tracking_number": slots.get("tracking_number") or placeholder("tracking_number"),
            "carrier": carrier.name[manifest.locale] if carrier else placeholder("carrier"),
            "amount": format_money(float(amount), pack) if isinstance(amount, (int, float)) else placeholder("amount"),
            "quantity": slots.get("quantity") or placeholder("quantity"),
            "order_id": slots.get("order_id") or placeholder("order_id"),
            "value": format_money(float(value), pack) if isinstance(value, (int, float)) else placeholder("value"),
            **{key: str(slots[key]) if slots.get(key) else placeholder(key)
               for key in ("time_frame", "ship_date", "insured", "phone")},
        }

    def fact_variables(self, facts: Facts, locale: str) -> dict[str, object]:
        """The facts as a template sees them, named in the pack's language (docs/catalogue-and-packs.md)."""
        names = self.facts
        conditions = [names.name("condition", c, locale) for c in facts.conditions if c not in _PACKAGING]
        packaging = [names.name("condition", c, locale) for c in facts.conditions if c in _PACKAGING]
        item = names.in_words(facts.item_word, locale, names.name("item", facts.item, "en")) \
            or names.name("item", facts.item, locale)
        accessory = names.in_words(facts.accessory_word, locale, names.name("item", names.item_of(facts.accessory_word), "en")
                                   or names.name("accessory", facts.accessory, "en")) \
            or names.name("accessory", facts.accessory, locale)
        if facts.accessory == "gift" and names.item_of(facts.accessory_word) and accessory:
            accessory = names.generic["gift_named"][locale].format(word=accessory)
        if facts.accessories:           # "充电器和遥控器", "the charger and the remote"
            accessory = _joined([names.name("accessory", a, locale) for a in facts.accessories], locale, "和")
        return {
            "item": item or names.generic["item"][locale],
            "item_named": item is not None,
            "item_count": names.in_words(facts.item_count, locale) or "",
            "unit": names.unit(facts.item, locale, facts.unit_word),
            "condition": _joined(conditions, locale),
            "condition_ids": list(facts.conditions),
            "packaging": packaging[0] if packaging else "",
            "reported": next((names.name("condition", c, locale) for c in facts.conditions
                              if c not in names.usage_conditions), conditions[0] if conditions else ""),
            "reported_issue": _as_issue(next((names.name("condition", c, locale) for c in facts.conditions
                                              if c not in names.usage_conditions), conditions[0] if conditions else "")),
            "received_instead": names.name("received_instead", facts.received_instead, locale) or "",
            "received_instead_id": facts.received_instead or "",
            "accessory": accessory or names.generic["accessory"][locale],
            "accessory_named": accessory is not None,
            "accessory_is_gift": facts.accessory in (None, "gift"),      # a gift may have been used; a lens cap is not
            "fault": facts.fault or "",
            "goods": facts.goods or "",
            "signed_not_received": facts.signed_not_received,
            "swap_suspected": facts.swap_suspected,
            "never_shipped": facts.never_shipped,
            "buyer_lost_it": facts.buyer_lost_it,
            "buyer_says_sent": facts.buyer_says_sent,
            "pickup_failed": facts.pickup_failed,
            "refund_without_return": facts.refund_without_return,
            "no_return_needed": facts.no_return_needed,
            "evidence": list(facts.evidence),
            "stall_days": facts.stall_days or 0,
            "stall_long": facts.stall_long,
            "amount_named": facts.amount_named,
            "carrier_said": facts.carrier_said,
            "pickup": names.in_words(facts.pickup, locale, names.pickup_en) or "",
        }

    def variables(self, pack: Pack, scenario: str, remedy: str, audience: str, slots: dict[str, object],
                  settings: MerchantSettings, today: dt.date | None = None, mark_placeholders: bool = False,
                  amount_kind: str | None = None, facts: Facts | dict | None = None) -> dict[str, object]:
        """What a template sees (docs/catalogue-and-packs.md), with missing details as placeholders."""
        locale = pack.manifest.locale
        today = today or dt.date.today()
        facts = case_facts(self.catalogue.scenario(scenario), _as_facts(facts))
        details = self.details(pack, slots, settings, mark_placeholders)
        said_when = self.facts.in_words(facts.time_frame, locale)
        if said_when and not slots.get("time_frame"):
            details["time_frame"] = said_when
        named = self.fact_variables(facts, locale)
        return {
            **details,
            **named,
            "counted_item": _counted(details["quantity"], slots.get("quantity"), named, locale,
                                     self.facts.in_words(facts.counted_word, locale,
                                                         self.facts.name("item", self.facts.item_of(facts.counted_word), "en"))),
            "tone": settings.tone,
            "amount_kind": amount_kind if amount_kind in AMOUNT_KINDS else "refund",
            "scenario": scenario,
            "remedy": remedy,
            "audience": audience,
            "scenario_title": self.catalogue.scenario(scenario).title[locale],
            "remedy_title": self.catalogue.remedy(remedy).title[locale],
            "today": _long_date(today, locale),
            "preface": "",
        }

    def letter_pack(self, pack: Pack, audience: str) -> Pack:
        """The pack a draft is written from: carrier letters always from a Simplified Chinese pack."""
        if audience != "carrier" or pack.locale == LETTER_LOCALE:
            return pack
        return load_pack(LETTER_LOCALE)

    def draft(self, scenario: str, remedy: str, audience: str, slots: dict[str, object], pack: Pack,
              settings: MerchantSettings = MerchantSettings(), today: dt.date | None = None,
              amount_kind: str | None = None, facts: Facts | dict | None = None) -> Draft:
        writing = self.letter_pack(pack, audience)
        text, missing = self._render(writing, scenario, remedy, audience, slots, settings, today, amount_kind, facts)
        reading = None
        if writing is not pack:
            reading, _ = self._render(pack, scenario, remedy, audience, slots, settings, today, amount_kind, facts)
        return Draft(remedy, audience, text, missing, reading)

    def _render(self, pack: Pack, scenario: str, remedy: str, audience: str, slots: dict[str, object],
                settings: MerchantSettings, today: dt.date | None, amount_kind: str | None,
                facts: Facts | dict | None) -> tuple[str, tuple[str, ...]]:
        variables = self.variables(pack, scenario, remedy, audience, slots, settings, today, True, amount_kind, facts)
        return self.rendered(pack, remedy, audience, variables)

    @staticmethod
    def rendered(pack: Pack, template: str, audience: str, variables: dict[str, object]) -> tuple[str, tuple[str, ...]]:
        """A template rendered with placeholders marked: the text, and the details left as placeholders."""
        marked = pack.render(template, audience, variables)
        labels = {pack.manifest.placeholder.format(label=pack.manifest.placeholders.get(k, k)): k for k in DETAIL_NAMES}
        found = {labels.get(m) for m in _MARKED.findall(marked)}
        missing = tuple(k for k in DETAIL_NAMES if k in found)
        return marked.replace(PLACEHOLDER_OPEN, "").replace(PLACEHOLDER_CLOSE, ""), missing

    def drafts(self, scenario: str, slots: dict[str, object], pack: Pack,
               settings: MerchantSettings = MerchantSettings(), today: dt.date | None = None,
               amount_kind: str | None = None, facts: Facts | dict | None = None) -> list[Draft]:
        """Every draft of the remedies that fit the facts, the recommended remedy first."""
        out = []
        for option in self.remedy_options(scenario, facts):
            for audience in self.catalogue.remedy(option.remedy).audiences:
                out.append(self.draft(scenario, option.remedy, audience, slots, pack, settings, today, amount_kind, facts))
        return out

    def report(self, description: str, locale: str = DEFAULT_LOCALE, pack_dir: Path | str | None = None,
               settings: MerchantSettings = MerchantSettings(), today: dt.date | None = None) -> dict[str, object]:
        """The `negobot draft --json` object for one description."""
        text = check_description(description)
        pack = load_pack(locale if pack_dir is None else (locale or None), pack_dir)
        analysis = self.analyse(text)
        scenario = analysis.scenario
        return {
            "scenario": scenario,
            "confidence": analysis.prediction.confidence,
            "alternatives": [{"scenario": s, "confidence": c} for s, c in analysis.prediction.alternatives],
            "slots": analysis.slots,
            "facts": analysis.facts.public(),
            "advice": self.advice(scenario, pack.locale, analysis.facts),
            "remedies": [{"remedy": o.remedy, "recommended": o.recommended, "why": o.why[pack.locale]}
                         for o in self.remedy_options(scenario, analysis.facts)],
            "drafts": [
                {"remedy": d.remedy, "audience": d.audience, "text": d.text, **({"reading": d.reading} if d.reading else {})}
                for d in (self.drafts(scenario, analysis.slots, pack, settings, today, analysis.amount_kind,
                                      analysis.facts) if scenario != UNKNOWN else [])
            ],
        }

    def classification(self, description: str) -> dict[str, object]:
        """The `negobot classify` object for one description."""
        analysis = self.analyse(check_description(description))
        return {
            "scenario": analysis.scenario,
            "confidence": analysis.prediction.confidence,
            "alternatives": [{"scenario": s, "confidence": c} for s, c in analysis.prediction.alternatives],
            "slots": analysis.slots,
            "also": list(analysis.prediction.also),
        }


def _as_issue(phrase: str) -> str:
    """A reported condition as the name of a problem: 起球了 → 起球 ("您反馈的裤子起球问题"); a
    one-character one keeps its 了 (破了 → "杯子破了的问题", not "杯子破问题")."""
    issue = phrase[:-1] if phrase.endswith("了") else phrase
    return issue if len(issue) > 1 else f"{phrase}的"


def _counted(shown: object, quantity: object, named: dict[str, object], locale: str, counted: str | None) -> str:
    """How many of the item: 2个杯子 / 2 mugs / 【件数】个杯子 / [quantity] × mug ("少了一个枕套": the pillowcase)."""
    item = counted or str(named["item"])
    if locale != "en":
        return f"{shown}{named['unit']}{item}"
    if quantity == 1:
        return f"1 {item}"
    return f"{shown} {_plural(item)}" if isinstance(quantity, int) else f"{shown} × {item}"


def _first(ranked: tuple[tuple[str, float], ...], scenario: str) -> tuple[tuple[str, float], ...]:
    """`scenario` (with its probability in `ranked`, else 0), then the others in their order."""
    return (next((a for a in ranked if a[0] == scenario), (scenario, 0.0)), *(a for a in ranked if a[0] != scenario))


def _read_as(prediction: Prediction, scenario: str, floor: float, then: str | None = None) -> Prediction:
    """The case is `scenario`, as sure as the reading ranked it but at least `floor` (so it is drafted, not
    asked about); the readings it displaced follow, `then` first when it is among them."""
    ranked = ((prediction.scenario, prediction.confidence), *prediction.alternatives)
    sure = max(dict(ranked).get(scenario, 0.0), floor)
    rest = [a for a in ranked if a[0] != scenario]
    if then is not None:
        rest.sort(key=lambda a: a[0] != then)
    return Prediction(scenario, round(sure, 4), tuple(rest[:3]), prediction.also)


def _asked_first(prediction: Prediction, scenario: str, ask: float) -> Prediction:
    """The reading, asked about (confidence below min_confidence), with `scenario` the first other choice."""
    return replace(prediction, confidence=min(prediction.confidence, ask), alternatives=_first(prediction.alternatives, scenario))


def _fact(facts: Facts | dict | None, name: str) -> object:
    """One fact, read without building Facts from a case's dict (the card reads two on every answer)."""
    if facts is None:
        return None
    return facts.get(name) if isinstance(facts, dict) else getattr(facts, name)


def _as_facts(facts: Facts | dict | None) -> Facts:
    return facts if isinstance(facts, Facts) else Facts.from_dict(facts)


def format_money(amount: float, pack: Pack) -> str:
    return _format_money(float(amount), pack.manifest.money_pattern, pack.manifest.locale)


@lru_cache(maxsize=4096)
def _format_money(amount: float, pattern: str, locale: str) -> str:
    return format_currency(amount, "CNY", format=pattern, locale=_babel_locale(locale), currency_digits=False)


@lru_cache(maxsize=8)
def _babel_locale(locale: str) -> Locale:
    """Babel's locale data, parsed once per locale rather than on every amount and date."""
    return Locale.parse(locale)


@lru_cache(maxsize=1024)
def format_date(day: dt.date, format: str = "long", locale: str = DEFAULT_LOCALE) -> str:  # noqa: A002 - Babel's name
    """Babel's format_date, remembered: packs format the same few dates over and over (lint, the gallery)."""
    return _babel_format_date(day, format=format, locale=_babel_locale(locale))


def _long_date(day: dt.date, locale: str) -> str:
    """The date in words; the same for every draft written that day."""
    return format_date(day, "long", locale)


@lru_cache(maxsize=1)
def default_engine() -> Engine:
    return Engine()
