"""Draft assembly: a description → scenario, slots, advice and filled drafts in one pack."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_currency

from bot.engine.catalogue import DEFAULT_LOCALE, UNKNOWN, Catalogue, default_catalogue
from bot.engine.classifier import Prediction, ScenarioClassifier
from bot.engine.packs import PLACEHOLDER_CLOSE, PLACEHOLDER_OPEN, Pack, load_pack
from bot.engine.slots import AMOUNT_KINDS, SlotExtractor

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


@dataclass(frozen=True)
class Analysis:
    prediction: Prediction
    slots: dict[str, object] = field(default_factory=dict)
    amount_kind: str | None = None      # "refund" or "deduction" when an amount was found

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
    printable = sum(ch.isprintable() or ch.isspace() for ch in stripped)
    undecodable = "\ufffd" in stripped or any("\ud800" <= ch <= "\udfff" for ch in stripped)
    if printable < 0.9 * len(stripped) or undecodable:
        raise InputError("the description does not look like text (binary data?)")
    return stripped


class Engine:
    """Everything a transport needs from the engine, over one catalogue."""

    def __init__(self, catalogue: Catalogue | None = None):
        self.catalogue = catalogue or default_catalogue()
        self.classifier = ScenarioClassifier(self.catalogue)
        self.slots = SlotExtractor(self.catalogue)

    # ---- understanding -------------------------------------------------
    def analyse(self, description: str) -> Analysis:
        slots, amount_kind = self.slots.extract_details(description)
        return Analysis(self.classifier.predict(description), slots, amount_kind)

    # ---- advice --------------------------------------------------------
    def advice(self, scenario: str, locale: str) -> list[str]:
        advice = self.catalogue.scenario(scenario).advice[locale]
        warn, keep = _ADVICE_LABELS[locale]
        return [advice.action, *advice.steps, *(warn + w for w in advice.warnings), *(keep + e for e in advice.evidence)]

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
        return {
            "shop": shop,
            "signature": signature,
            "tracking_number": slots.get("tracking_number") or placeholder("tracking_number"),
            "carrier": carrier.name[manifest.locale] if carrier else placeholder("carrier"),
            "amount": format_money(float(amount), pack) if isinstance(amount, (int, float)) else placeholder("amount"),
            "quantity": slots.get("quantity") or placeholder("quantity"),
            "order_id": slots.get("order_id") or placeholder("order_id"),
        }

    def variables(self, pack: Pack, scenario: str, remedy: str, audience: str, slots: dict[str, object],
                  settings: MerchantSettings, today: dt.date | None = None, mark_placeholders: bool = False,
                  amount_kind: str | None = None) -> dict[str, object]:
        """What a template sees (docs/catalogue-and-packs.md), with missing details as placeholders."""
        locale = pack.manifest.locale
        today = today or dt.date.today()

        def date_in(days: int) -> str:
            return format_date(today + dt.timedelta(days=int(days)), format="long", locale=locale)

        return {
            **self.details(pack, slots, settings, mark_placeholders),
            "tone": settings.tone,
            "amount_kind": amount_kind if amount_kind in AMOUNT_KINDS else "refund",
            "scenario": scenario,
            "remedy": remedy,
            "audience": audience,
            "scenario_title": self.catalogue.scenario(scenario).title[locale],
            "remedy_title": self.catalogue.remedy(remedy).title[locale],
            "today": date_in(0),
            "date_in": date_in,
        }

    def draft(self, scenario: str, remedy: str, audience: str, slots: dict[str, object], pack: Pack,
              settings: MerchantSettings = MerchantSettings(), today: dt.date | None = None,
              amount_kind: str | None = None) -> Draft:
        variables = self.variables(pack, scenario, remedy, audience, slots, settings, today, amount_kind=amount_kind)
        return Draft(remedy, audience, pack.render(remedy, audience, variables))

    def drafts(self, scenario: str, slots: dict[str, object], pack: Pack,
               settings: MerchantSettings = MerchantSettings(), today: dt.date | None = None,
               amount_kind: str | None = None) -> list[Draft]:
        """Every draft of the scenario: its remedies in the catalogue's order (recommended first)."""
        out = []
        for remedy_id in self.catalogue.scenario(scenario).remedies:
            for audience in self.catalogue.remedy(remedy_id).audiences:
                out.append(self.draft(scenario, remedy_id, audience, slots, pack, settings, today, amount_kind))
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
            "advice": self.advice(scenario, pack.locale),
            "drafts": [
                {"remedy": d.remedy, "audience": d.audience, "text": d.text}
                for d in (self.drafts(scenario, analysis.slots, pack, settings, today, analysis.amount_kind)
                          if scenario != UNKNOWN else [])
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


def format_money(amount: float, pack: Pack) -> str:
    return format_currency(amount, "CNY", format=pack.manifest.money_pattern, locale=pack.manifest.locale, currency_digits=False)


@lru_cache(maxsize=1)
def default_engine() -> Engine:
    return Engine()
