"""`negobot gallery OUT_DIR`: one self-contained index.html with every scenario, its advice and drafts.

The page needs no network and no server: CSS, JavaScript and data are inline (a Content-Security-Policy
with hashes forbids anything else), so it works from file:// and from any static host.

Live fill. Every draft is rendered here with a sentinel character for each of the five details the
merchant can type on the page (shop, signature, amount, tracking number, carrier) and with the other
placeholders marked (PLACEHOLDER_OPEN/CLOSE). The page substitutes the sentinels with exactly the
values Engine.variables would produce (signature defaulting to the pack's default_signature filled
with the shop; the amount formatted like Babel's format_currency with the pack's money_pattern), then
tidies the text as Pack.render does. `fill_text` below is the same substitution in Python; the build
checks it against the engine for every draft, and a draft whose template transforms a detail (a
filter on {{ amount }}, say) is shipped as a fixed text without live fill rather than filled wrongly.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import json
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import opencc
from babel.numbers import format_currency, get_currency_symbol, get_decimal_symbol, get_group_symbol, parse_pattern

from bot import __version__
from bot.engine.catalogue import LOCALES, UNKNOWN
from bot.engine.drafts import Engine, MerchantSettings, TONES, default_engine
from bot.engine.lint import lint_pack
from bot.engine.move_drafts import MoveContext, move_drafts
from bot.engine.negotiation import ASK_LIMIT, NextMove, Position, ladder_for, ladder_table, next_move
from bot.engine.packs import PLACEHOLDER_CLOSE, PLACEHOLDER_OPEN, Pack, PackError, load_pack, shipped_pack_dir, tidy
from bot.gallery.assets import CSS, JS
from bot.gallery.strings import audience_label, ladder_step_label, move_label, negotiation_label, stance_label, ui as ui_words

INDEX = "index.html"
# One private-use character per live-fill detail; the page replaces them (see module docstring).
SENTINELS = {"shop": "\ue010", "signature": "\ue011", "amount": "\ue012", "tracking_number": "\ue013", "carrier": "\ue014",
             "value": "\ue015"}     # a claim's value: the amount typed, as in Engine.details
LIVE_FIELDS = tuple(SENTINELS)
MAX_AMOUNT = 1_000_000
# Amounts the page's formatter must reproduce exactly (Babel's output is embedded; a mismatch turns
# live amounts off for that pack with a message rather than showing a wrongly formatted figure).
MONEY_SAMPLES = ("0.01", "0.5", "1", "9.9", "12.345", "12.355", "20", "66", "999.995", "1234.5", "2.675",
                 "100000", "123456.78", "1000000")
_MARKS = re.compile(f"[{PLACEHOLDER_OPEN}{PLACEHOLDER_CLOSE}]")
_SENTINEL_RE = re.compile("[" + "".join(SENTINELS.values()) + "]")
_BY_SENTINEL = {v: k for k, v in SENTINELS.items()}


# ---- the substitution the page performs, in Python --------------------------------------------
@dataclass(frozen=True)
class FillValues:
    """What the merchant typed on the page (raw), as the page reads it."""

    shop: str | None = None
    signature: str | None = None
    amount: float | None = None
    tracking_number: str | None = None
    carrier: str | None = None


def detail_values(pack: Pack, engine: Engine, values: FillValues, marked: bool) -> dict[str, str]:
    """The text each sentinel stands for, by the engine's own rules (Engine.details)."""
    slots = {k: v for k, v in (("amount", values.amount), ("tracking_number", values.tracking_number),
                               ("carrier", values.carrier)) if v}
    details = engine.details(pack, slots, MerchantSettings(shop=values.shop, signature=values.signature), marked)
    return {key: str(details[key]) for key in LIVE_FIELDS}


def fill_text(template: str, details: dict[str, str], keep_marks: bool = False) -> str:
    """Replace the sentinels of a gallery template with the details, then tidy like Pack.render."""
    if not keep_marks:
        template = _MARKS.sub("", template)
    return tidy(_SENTINEL_RE.sub(lambda m: details[_BY_SENTINEL[m.group()]], template))


def sentinel_template(engine: Engine, pack: Pack, scenario: str, remedy: str, audience: str, tone: str,
                      today: dt.date) -> str:
    pack = engine.letter_pack(pack, audience)      # a carrier letter is written in Simplified Chinese
    variables = engine.variables(pack, scenario, remedy, audience, {}, MerchantSettings(tone=tone), today,
                                 mark_placeholders=True)
    variables.update(SENTINELS)
    return pack.render(remedy, audience, variables)


_CHECKS = (
    (FillValues(shop="小鹿家居 Deer&Co", amount=1234.5, tracking_number="SF1409823356721", carrier="sf"), None),
    (FillValues(signature="售后小王 / Wang", amount=0.5, tracking_number="JT0012345678901", carrier="jt"), None),
    (FillValues(), None),
)


def _live_fill_works(engine: Engine, pack: Pack, template: str, scenario: str, remedy: str, audience: str,
                     tone: str, today: dt.date) -> bool:
    """Does substituting the sentinels give exactly what the engine renders, for a few value sets?"""
    for values, _ in _CHECKS:
        slots = {k: v for k, v in (("amount", values.amount), ("tracking_number", values.tracking_number),
                                   ("carrier", values.carrier)) if v is not None}
        settings = MerchantSettings(shop=values.shop, signature=values.signature, tone=tone)
        expected = engine.draft(scenario, remedy, audience, slots, pack, settings, today).text
        if fill_text(template, detail_values(pack, engine, values, marked=False)) != expected:
            return False
    return True


# ---- the negotiation ladder under each scenario -------------------------------------------------
# The steps shown for a scenario's recommended remedy: what the buyer said, and the next move. Amounts
# are not known on the page, so every step proposes none (the templates show their placeholder or
# their no-figure wording); the buyer's own figure is not known either.
LADDER_STANCES = ("agrees", "refuses", "counter_offer", "escalates")
_GALLERY_LIMIT = 100.0      # any limit: it only lets an amount remedy step up; the amount itself is dropped


@dataclass(frozen=True)
class LadderStep:
    stance: str
    step: NextMove
    context: MoveContext = MoveContext()


def ladder_remedy(engine: Engine, scenario: str) -> str | None:
    """The remedy the ladder is shown for: the scenario's recommended one without any facts."""
    options = engine.remedy_options(scenario, facts=None)
    return options[0].remedy if options else None


def ladder_steps(engine: Engine, scenario: str) -> list[LadderStep]:
    """Agreement, refusal, counter-offer and escalation after the opening of the recommended remedy,
    as bot.engine.negotiation.next_move takes them (none for a scenario without remedies)."""
    remedy = ladder_remedy(engine, scenario)
    if remedy is None:
        return []
    catalogue = engine.catalogue
    ladder = ladder_for(catalogue)
    position = Position(scenario, remedy, limit=_GALLERY_LIMIT)
    agreed = next_move(catalogue, Position(scenario, remedy), "agrees")
    refused = next_move(catalogue, position, "refuses")
    if refused.move == ASK_LIMIT or not refused.writes_drafts:
        after = ladder.after_refusal(scenario, remedy)
        refused = (NextMove("refuses", "offer", after, preface="refused") if after in catalogue.remedies
                   else NextMove("refuses", after if after in ladder.moves else "proof", remedy))
    # A figure above the limit: an amount remedy that fits answers with an offer in between; else `consider`.
    countered = next_move(catalogue, position, "counter_offer", amount=_GALLERY_LIMIT * 2, amount_kind="refund")
    if not countered.writes_drafts or countered.move == "confirm":
        countered = NextMove("counter_offer", "consider", remedy)
    escalated = next_move(catalogue, Position(scenario, remedy), "escalates")
    steps = {"agrees": agreed, "refuses": refused, "counter_offer": countered, "escalates": escalated}
    return [LadderStep(stance, replace(steps[stance], amount=None, buyer_amount=None)) for stance in LADDER_STANCES]


class _SentinelEngine:
    """The engine as move_drafts uses it (catalogue, variables, rendered), writing gallery templates: the
    live details as sentinels and the other placeholders marked, as sentinel_template does for an opening
    draft. So a ladder draft's template comes from move_drafts itself, not from a copy of its logic; the
    build then checks each one against move_drafts with real details (_move_fill_works)."""

    def __init__(self, engine: Engine):
        self._engine = engine
        self.catalogue = engine.catalogue

    def variables(self, *args, **kwargs) -> dict[str, object]:
        variables = self._engine.variables(*args, **kwargs)
        variables.update(SENTINELS)
        return variables

    @staticmethod
    def rendered(pack: Pack, template: str, audience: str, variables: dict[str, object]) -> tuple[str, tuple[str, ...]]:
        return pack.render(template, audience, variables), ()


def move_sentinel_templates(engine: Engine, pack: Pack, scenario: str, ladder_step: LadderStep, tone: str,
                            today: dt.date) -> list[tuple[str, str]]:
    """(audience, gallery template) for each draft of a ladder step, written by move_drafts itself."""
    drafts = move_drafts(_SentinelEngine(engine), scenario, ladder_step.step, {}, pack, MerchantSettings(tone=tone),
                         context=ladder_step.context, today=today)
    return [(d.audience, d.text) for d in drafts]


def move_text(engine: Engine, pack: Pack, scenario: str, ladder_step: LadderStep, audience: str,
              values: FillValues, tone: str, today: dt.date) -> str:
    """What move_drafts writes for a ladder step's draft with the details typed on the page."""
    slots = {k: v for k, v in (("amount", values.amount), ("tracking_number", values.tracking_number),
                               ("carrier", values.carrier)) if v is not None}
    settings = MerchantSettings(shop=values.shop, signature=values.signature, tone=tone)
    drafts = move_drafts(engine, scenario, ladder_step.step, slots, pack, settings, context=ladder_step.context, today=today)
    return next(d.text for d in drafts if d.audience == audience)


def _move_fill_works(engine: Engine, pack: Pack, template: str, scenario: str, ladder_step: LadderStep, audience: str,
                     tone: str, today: dt.date) -> bool:
    for values, _ in _CHECKS:
        expected = move_text(engine, pack, scenario, ladder_step, audience, values, tone, today)
        if fill_text(template, detail_values(pack, engine, values, marked=False)) != expected:
            return False
    return True


# ---- money: what the page's formatter needs ----------------------------------------------------
def money_spec(pack: Pack) -> dict[str, object]:
    pattern_text = pack.manifest.money_pattern
    locale = pack.manifest.locale
    spec: dict[str, object] = {"pattern": pattern_text, "supported": False}
    try:
        pattern = parse_pattern(pattern_text)
    except Exception as exc:  # noqa: BLE001 - Babel raises ValueError and friends
        spec["reason"] = f"not a number pattern ({exc})"
        return spec
    problems = []
    if pattern.exp_prec:
        problems.append("scientific notation")
    if "@" in pattern.pattern:
        problems.append("significant digits (@)")
    if pattern.scale:
        problems.append("percent or per-mille")
    if "¤¤¤" in pattern.prefix[0] + pattern.suffix[0]:
        problems.append("currency name (¤¤¤)")
    if not pattern.number_pattern:
        problems.append("no digits")
    spec.update({
        "prefix": pattern.prefix[0], "suffix": pattern.suffix[0], "grouping": list(pattern.grouping),
        "intMin": pattern.int_prec[0], "fracMin": pattern.frac_prec[0], "fracMax": pattern.frac_prec[1],
        "decimal": get_decimal_symbol(locale), "group": get_group_symbol(locale),
        "symbol": get_currency_symbol("CNY", locale),
        "samples": [[s, format_currency(float(s), "CNY", format=pattern_text, locale=locale, currency_digits=False)]
                    for s in MONEY_SAMPLES],
    })
    if problems:
        spec["reason"] = ", ".join(problems)
    else:
        spec["supported"] = True
    return spec


# ---- search: Traditional ↔ Simplified -----------------------------------------------------------
@lru_cache(maxsize=1)
def _converters() -> tuple[opencc.OpenCC, opencc.OpenCC]:
    return opencc.OpenCC("t2s"), opencc.OpenCC("s2t")


def search_fold(text: str, charmap: dict[str, str]) -> str:
    """What the page's search compares: NFKC, lower-case, each character mapped to Simplified."""
    return "".join(charmap.get(ch, ch) for ch in unicodedata.normalize("NFKC", text).lower())


def build_charmap(texts: list[str]) -> dict[str, str]:
    """Character → Simplified, for every Han character of the site and every Traditional variant of one.

    Built per character with OpenCC, so a search typed in either script matches text in either.
    """
    t2s, s2t = _converters()
    site = {ch for text in texts for ch in unicodedata.normalize("NFKC", text).lower() if _is_han(ch)}
    charmap: dict[str, str] = {}
    ordered = sorted(site)
    simplified = t2s.convert("\n".join(ordered)).split("\n")
    for ch, simple in zip(ordered, simplified):
        if len(simple) == 1 and simple != ch:
            charmap[ch] = simple
    targets = {charmap.get(ch, ch) for ch in site}
    traditional = s2t.convert("\n".join(sorted(targets))).split("\n")
    for simple, trad in zip(sorted(targets), traditional):
        if len(trad) == 1 and trad != simple:
            charmap.setdefault(trad, simple)
    # Variants OpenCC folds onto one Simplified character (髮/發 → 发, 乾/幹 → 干 ...).
    candidates = [chr(c) for c in range(0x4E00, 0xA000)]
    for ch, simple in zip(candidates, t2s.convert("\n".join(candidates)).split("\n")):
        if len(simple) == 1 and simple != ch and simple in targets:
            charmap.setdefault(ch, simple)
    return charmap


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


# ---- the page -----------------------------------------------------------------------------------
@dataclass
class _PackPage:
    id: str
    pack: Pack
    custom: bool


def _marked_html(text: str) -> str:
    out = []
    for i, part in enumerate(re.split(f"({PLACEHOLDER_OPEN}[^{PLACEHOLDER_CLOSE}]*{PLACEHOLDER_CLOSE})", text)):
        if i % 2:
            out.append(f'<mark class="ph">{html.escape(part[1:-1])}</mark>')
        else:
            out.append(html.escape(_MARKS.sub("", part)))
    return "".join(out)


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _json_for_script(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode() + "'"


def _lint_or_raise(directory: Path) -> None:
    fatal = [f for f in lint_pack(directory) if f.fatal]
    if fatal:
        more = f" (and {len(fatal) - 1} more; run `negobot packs lint {directory}`)" if len(fatal) > 1 else ""
        raise PackError(f"{fatal[0]}{more} — gallery not written")


def build_gallery(out_dir: Path, locales: list[str] | None = None, pack_dir: Path | None = None,
                  shop: str | None = None, signature: str | None = None, today: dt.date | None = None) -> str:
    """Write OUT_DIR/index.html; returns a one-paragraph summary. PackError (nothing written) on a broken pack."""
    out_dir = Path(out_dir).expanduser()
    locales = list(locales or LOCALES)
    for locale in locales:
        if locale not in LOCALES:
            raise PackError(f"no shipped pack for locale {locale!r}; choose one of {', '.join(LOCALES)}")
    if out_dir.exists() and not out_dir.is_dir():
        raise PackError(f"{out_dir}: exists and is not a folder")
    engine = default_engine()
    today = today or dt.date.today()

    pages: list[_PackPage] = []
    if pack_dir is not None:
        pack_dir = Path(pack_dir).expanduser()
        if not pack_dir.is_dir():
            raise PackError(f"{pack_dir}: no such folder")
        _lint_or_raise(pack_dir)
        pack = load_pack(None, pack_dir)
        if set(locales) != set(LOCALES) and pack.locale not in locales:
            raise PackError(f"{pack_dir}: the pack is {pack.locale}, but --locale {', '.join(locales)} was asked for")
        pages.append(_PackPage(f"custom-{pack.locale}", pack, True))
    else:
        for locale in dict.fromkeys(locales):
            _lint_or_raise(shipped_pack_dir(locale))
            pages.append(_PackPage(locale, load_pack(locale), False))

    document, stats = _render_document(engine, pages, shop, signature, today)
    data = document.encode("utf-8")

    # Build beside the destination, then move into place: a failure leaves OUT_DIR as it was.
    parent = out_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".negobot-gallery-", dir=parent))
    try:
        (staging / INDEX).write_bytes(data)
        if out_dir.is_dir():
            os.replace(staging / INDEX, out_dir / INDEX)
        else:
            os.replace(staging, out_dir)
            staging = None
    except OSError as exc:
        raise PackError(f"{out_dir}: cannot write the gallery ({exc.strerror or exc})") from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)

    packs = ", ".join(f"{p.pack.manifest.name} ({p.pack.locale}{', custom' if p.custom else ''})" for p in pages)
    static = f"; {stats['static']} draft(s) could not be live-filled and show fixed text" if stats["static"] else ""
    return (f"{out_dir / INDEX}: {stats['scenarios']} scenarios, {stats['drafts']} drafts × {len(TONES)} tones in "
            f"{packs}{static}; page weight {len(data):,} bytes ({len(data) / 1024:.0f} KiB), no network needed — "
            f"open file://{(out_dir / INDEX).resolve()}")


def _render_document(engine: Engine, pages: list[_PackPage], shop: str | None, signature: str | None,
                     today: dt.date) -> tuple[str, dict[str, int]]:
    catalogue = engine.catalogue
    stats = {"scenarios": len(catalogue.scenarios), "drafts": 0, "static": 0}
    initial = FillValues(shop=shop, signature=signature)
    packs_data = []
    sections = []
    texts: list[str] = []
    for page in pages:
        pack, locale = page.pack, page.pack.locale
        ui = ui_words(locale)
        drafts_data: dict[str, dict[str, str | None]] = {tone: {} for tone in TONES}
        static_text: dict[str, dict[str, str]] = {tone: {} for tone in TONES}
        articles = []

        def live_or_fixed(draft_id: str, template_for, works, fixed_for) -> tuple[str, bool]:
            """Every tone's gallery template (or fixed text) of one draft; the first tone's text as shown."""
            stats["drafts"] += 1
            for tone in TONES:
                template = template_for(tone)
                if works(template, tone):
                    drafts_data[tone][draft_id] = template
                    initial_text = fill_text(template, detail_values(pack, engine, initial, marked=True), keep_marks=True)
                else:
                    stats["static"] += tone == TONES[0]
                    fixed = fixed_for(tone)
                    drafts_data[tone][draft_id] = None
                    static_text[tone][draft_id] = fixed
                    initial_text = fixed
                texts.append(_MARKS.sub("", initial_text))
                if tone == TONES[0]:
                    shown = initial_text
            return shown, drafts_data[TONES[0]][draft_id] is not None

        for scenario in catalogue.scenarios.values():
            advice = scenario.advice[locale]
            title = scenario.title[locale]
            texts.extend([title, advice.action, *advice.steps, *advice.warnings, *advice.evidence])
            cards = []
            for remedy_id in scenario.remedies:
                remedy = catalogue.remedy(remedy_id)
                for audience in remedy.audiences:
                    draft_id = f"{page.id}.{scenario.id}.{remedy_id}.{audience}"

                    def fixed_for(tone, remedy_id=remedy_id, audience=audience):
                        settings = MerchantSettings(shop=shop, signature=signature, tone=tone)
                        return engine.draft(scenario.id, remedy_id, audience, {}, pack, settings, today).text

                    shown, live = live_or_fixed(
                        draft_id,
                        lambda tone: sentinel_template(engine, pack, scenario.id, remedy_id, audience, tone, today),
                        lambda template, tone: _live_fill_works(engine, pack, template, scenario.id, remedy_id, audience, tone, today),
                        fixed_for)
                    letter = audience == "carrier" and engine.letter_pack(pack, audience) is not pack
                    reading = ""
                    if letter:
                        settings = MerchantSettings(shop=shop, signature=signature, tone=TONES[0])
                        text_read = engine.draft(scenario.id, remedy_id, audience, {}, pack, settings, today).reading or ""
                        reading = (f'<details class="reading"><summary>{_esc(ui["reading"])}</summary>'
                                   f'<pre class="text" lang="{_esc(ui["lang"])}">{_esc(text_read)}</pre></details>')
                        texts.append(text_read)
                    cards.append(_card_html(draft_id, remedy_id, audience, locale, ui, remedy.title[locale], remedy.why[locale],
                                            shown, live, negotiation_label(locale, remedy.negotiation),
                                            limit=audience == "platform", letter=letter, reading=reading))
                    texts.extend([remedy.title[locale], audience_label(locale, audience)])

            ladder_html = ""
            steps = ladder_steps(engine, scenario.id)
            if steps:
                step_blocks = []
                for ladder_step in steps:
                    step = ladder_step.step
                    step_cards = []
                    templates = {tone: dict(move_sentinel_templates(engine, pack, scenario.id, ladder_step, tone, today))
                                 for tone in TONES}
                    for audience in templates[TONES[0]]:
                        draft_id = f"{page.id}.{scenario.id}.ladder.{ladder_step.stance}.{audience}"

                        def fixed_for(tone, ladder_step=ladder_step, audience=audience):
                            return move_text(engine, pack, scenario.id, ladder_step, audience, initial, tone, today)

                        shown, live = live_or_fixed(
                            draft_id, lambda tone, audience=audience: templates[tone][audience],
                            lambda template, tone, ladder_step=ladder_step, audience=audience:
                                _move_fill_works(engine, pack, template, scenario.id, ladder_step, audience, tone, today),
                            fixed_for)
                        offer = step.move == "offer"
                        remedy = catalogue.remedy(step.remedy)
                        heading = ladder_step_label(locale, step.move, remedy.title[locale] if offer else None, step.preface)
                        step_cards.append(_card_html(
                            draft_id, step.remedy, audience, locale, ui, heading, remedy.why[locale] if offer else "",
                            shown, live, negotiation_label(locale, remedy.negotiation) if offer else "",
                            limit=audience == "platform" and step.move != "statement", move=step.move))
                        texts.extend([heading, audience_label(locale, audience, step.move)])
                    said = stance_label(locale, ladder_step.stance)
                    move_advice = ladder_for(catalogue).move(step.move).advice[locale]
                    texts.extend([said, move_advice])
                    step_blocks.append(
                        f'<li class="step" id="{_esc(page.id)}.{scenario.id}.ladder.{ladder_step.stance}" data-stance="{ladder_step.stance}" data-move="{step.move}">'
                        f'<h4 class="said">{_esc(said)}</h4><p class="move-advice">{_esc(move_advice)}</p>'
                        f'<ol class="drafts">{"".join(step_cards)}</ol></li>'
                    )
                ladder_html = _ladder_html(engine, page, scenario.id, ladder_remedy(engine, scenario.id), locale, ui,
                                           step_blocks, {s.stance for s in steps}, texts)
            articles.append(_scenario_html(page, scenario, advice, title, ui, cards, ladder_html))
        sections.append(
            f'<section class="pack" data-pack="{_esc(page.id)}" lang="{_esc(ui["lang"])}"'
            f'{"" if page is pages[0] else " hidden"}><h2 class="pack-title">{_esc(pack.manifest.name)}'
            f'{" · " + _esc(ui["custom"]) if page.custom else ""}</h2>{"".join(articles)}</section>'
        )
        manifest = pack.manifest
        packs_data.append({
            "id": page.id, "locale": locale, "name": manifest.name, "custom": page.custom,
            "placeholders": {k: manifest.placeholder.format(label=manifest.placeholders.get(k, k)) for k in LIVE_FIELDS},
            "defaultSignature": manifest.default_signature,
            "carriers": [[c.id, c.name[locale]] for c in catalogue.carriers.values()],
            "scenarios": [[s.id, s.title[locale]] for s in catalogue.scenarios.values()],
            "money": money_spec(pack),
            "ui": ui,
            "drafts": drafts_data,
            "fixed": {tone: v for tone, v in static_text.items() if v},
        })
        texts.extend(str(v) for v in ui.values())
    data = {
        "version": __version__, "built": today.isoformat(), "sentinels": SENTINELS,
        "marks": [PLACEHOLDER_OPEN, PLACEHOLDER_CLOSE], "tones": list(TONES), "maxAmount": MAX_AMOUNT,
        "initial": {"shop": shop or "", "signature": signature or ""},
        "carrierPatterns": {c.id: c.pattern.pattern for c in catalogue.carriers.values()},
        "packs": packs_data,
        "charmap": build_charmap(texts),
    }
    first = pages[0].pack.locale
    ui = ui_words(first)
    controls = _controls_html(pages, ui, shop, signature)
    csp = (f"default-src 'none'; script-src {_csp_hash(JS)}; style-src {_csp_hash(CSS)}; img-src data:; "
           "base-uri 'none'; form-action 'none'")
    document = (
        "<!DOCTYPE html>\n"
        f'<html lang="{_esc(ui["lang"])}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="negobot {_esc(__version__)}">'
        f'<title>{_esc(ui["title"])}</title><style>{CSS}</style></head><body>'
        f'<header class="top"><h1>{_esc(ui["title"])}</h1><p class="lede">{_esc(ui["lede"])}</p>{controls}</header>'
        f'<main id="gallery">{"".join(sections)}<p class="empty" id="empty" hidden>{_esc(ui["empty"])}</p></main>'
        f'<footer><p>{_esc(ui["footer"].format(date=today.isoformat(), version=__version__))}</p></footer>'
        f'<div class="toast" id="toast" role="status" aria-live="polite"></div>'
        f'<script type="application/json" id="gallery-data">{_json_for_script(data)}</script>'
        f"<script>{JS}</script></body></html>\n"
    )
    return document, stats


def _card_html(draft_id: str, remedy_id: str, audience: str, locale: str, ui: dict[str, str], heading: str, why: str,
               shown: str, live: bool, neg: str, limit: bool = False, letter: bool = False, reading: str = "",
               move: str | None = None) -> str:
    """One draft with its copy button: the page fills and copies every such card the same way."""
    # A ladder draft carries its move; links point at its step, so it needs no id of its own.
    anchor = "" if move else f'id="{_esc(draft_id)}" '
    step = f' data-move="{move}"' if move else ""
    limit_attr = ' data-limit="200"' if limit else ""
    why_html = f'<p class="why">{_esc(why)}</p>' if why else ""
    neg_html = f'<span class="neg">{_esc(neg)}</span>' if neg else ""
    static = "" if live else f'<span class="static">{_esc(ui["static_letter" if letter else "static"])}</span>'
    return (
        f'<li class="draft" {anchor}data-draft="{_esc(draft_id)}" data-remedy="{remedy_id}" data-audience="{audience}"{step}>'
        f'<div class="draft-head"><h4><span class="aud aud-{audience}">{_esc(audience_label(locale, audience, move))}</span> '
        f'{_esc(heading)}</h4>'
        f'<button type="button" class="copy" data-copy="{_esc(draft_id)}">{_esc(ui["copy"])}</button></div>'
        f'{why_html}'
        f'<pre class="text" lang="{_esc("zh-CN" if audience == "carrier" else ui["lang"])}"{limit_attr}>{_marked_html(shown)}</pre>'
        f'<p class="meta">{neg_html}<span class="count"></span>{static}</p>'
        f'{reading}</li>'
    )


def _ladder_html(engine: Engine, page: _PackPage, scenario: str, remedy_id: str, locale: str, ui: dict[str, str],
                 step_blocks: list[str], shown_stances: set[str], texts: list[str]) -> str:
    """The scenario's negotiation ladder: the whole table (stance → next step), then the opening and
    the drafts of the steps shown."""
    catalogue = engine.catalogue
    remedy = catalogue.remedy(remedy_id)
    rows = []
    for stance, step in ladder_table(catalogue, scenario, remedy_id).items():
        target = (ladder_step_label(locale, "offer", catalogue.remedy(step).title[locale]) if step in catalogue.remedies
                  else move_label(locale, step))
        said = stance_label(locale, stance)
        cell = (f'<a href="#{_esc(page.id)}.{scenario}.ladder.{stance}">{_esc(target)}</a>' if stance in shown_stances
                else _esc(target))
        rows.append(f'<tr data-stance="{stance}"><th scope="row">{_esc(said)}</th><td>{cell}</td></tr>')
        texts.extend([said, target])
    opening_links = " ".join(
        f'<a href="#{_esc(page.id)}.{scenario}.{remedy_id}.{audience}">{_esc(audience_label(locale, audience))}</a>'
        for audience in remedy.audiences)
    heading = ui["ladder"]
    lede = ui["ladder_lede"].format(remedy=remedy.title[locale])
    texts.extend([heading, lede, ui["ladder_opening"], ui["ladder_stance"], ui["ladder_next"], ui["ladder_note"]])
    opening = (f'<li class="step opening" data-stance="opening"><h4 class="said">{_esc(ui["ladder_opening"])}</h4>'
               f'<p class="move-advice">{_esc(remedy.why[locale])}</p><p class="see">{opening_links}</p></li>')
    return (
        f'<section class="ladder" data-remedy="{remedy_id}"><h3 class="ladder-title">{_esc(heading)}</h3>'
        f'<p class="ladder-lede">{_esc(lede)}</p>'
        f'<table class="ladder-table"><thead><tr><th scope="col">{_esc(ui["ladder_stance"])}</th>'
        f'<th scope="col">{_esc(ui["ladder_next"])}</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
        f'<p class="ladder-note">{_esc(ui["ladder_note"])}</p>'
        f'<ol class="steps-ladder">{opening}{"".join(step_blocks)}</ol></section>'
    )


def _scenario_html(page: _PackPage, scenario, advice, title: str, ui: dict[str, str], cards: list[str],
                   ladder: str = "") -> str:
    def items(values) -> str:
        return "".join(f"<li>{_esc(v)}</li>" for v in values)

    blocks = [f'<p class="action"><strong>{_esc(ui["action"])}</strong> {_esc(advice.action)}</p>']
    if advice.steps:
        blocks.append(f'<h4>{_esc(ui["steps"])}</h4><ol class="steps">{items(advice.steps)}</ol>')
    if advice.warnings:
        blocks.append(f'<h4>{_esc(ui["warnings"])}</h4><ul class="warnings">{items(advice.warnings)}</ul>')
    if advice.evidence:
        blocks.append(f'<h4>{_esc(ui["evidence"])}</h4><ul class="evidence">'
                      + "".join(f'<li><label><input type="checkbox"> {_esc(v)}</label></li>' for v in advice.evidence)
                      + "</ul>")
    drafts = (f'<h3 class="drafts-title">{_esc(ui["drafts"])}</h3><ol class="drafts">{"".join(cards)}</ol>'
              if cards else f'<p class="nodrafts">{_esc(ui["nodrafts"])}</p>')
    seed = f'<span class="seed">{_esc(ui["seed"])} {_esc(scenario.seed)}</span>' if scenario.seed and scenario.id != UNKNOWN else ""
    return (
        f'<article class="scenario" id="{_esc(page.id)}.{scenario.id}" data-scenario="{scenario.id}">'
        f'<h2 class="scenario-title">{_esc(title)} <code>{scenario.id}</code> {seed}</h2>'
        f'<details class="advice" open><summary>{_esc(ui["advice"])}</summary>{"".join(blocks)}</details>{drafts}{ladder}</article>'
    )


def _controls_html(pages: list[_PackPage], ui: dict[str, str], shop: str | None, signature: str | None) -> str:
    langs = "".join(
        f'<button type="button" class="lang" data-pack="{_esc(p.id)}" aria-pressed="{"true" if i == 0 else "false"}" '
        f'lang="{_esc(ui_words(p.pack.locale)["lang"])}">{_esc(p.pack.manifest.name)}</button>'
        for i, p in enumerate(pages)
    )
    first = pages[0].pack
    scenario_options = "".join(
        f'<option value="{s.id}">{_esc(s.title[first.locale])}</option>' for s in default_engine().catalogue.scenarios.values()
    )
    carrier_options = "".join(
        f'<option value="{c.id}">{_esc(c.name[first.locale])}</option>' for c in default_engine().catalogue.carriers.values()
    )
    tones = "".join(f'<option value="{t}">{_esc(ui["tone_" + t])}</option>' for t in TONES)
    return (
        '<form class="controls" id="controls" autocomplete="off">'
        f'<div class="row"><div class="langs" role="group" aria-label="{_esc(ui["language"])}" id="langs"'
        f'{" hidden" if len(pages) == 1 else ""}>{langs}</div></div>'
        '<div class="row grid">'
        f'<label class="field wide"><span data-ui="search">{_esc(ui["search"])}</span>'
        f'<input type="search" id="search" placeholder="{_esc(ui["search_hint"])}" data-ui-placeholder="search_hint"></label>'
        f'<label class="field"><span data-ui="scenario">{_esc(ui["scenario"])}</span><select id="scenario">'
        f'<option value="" data-ui="all">{_esc(ui["all"])}</option>{scenario_options}</select></label>'
        f'<label class="field"><span data-ui="tone">{_esc(ui["tone"])}</span><select id="tone">{tones}</select></label>'
        '</div>'
        f'<details class="fill" id="fill" open><summary data-ui="fill">{_esc(ui["fill"])}</summary><div class="grid">'
        f'<label class="field"><span data-ui="shop">{_esc(ui["shop"])}</span><input id="f-shop" data-field="shop" value="{_esc(shop or "")}"></label>'
        f'<label class="field"><span data-ui="signature">{_esc(ui["signature"])}</span><input id="f-signature" data-field="signature" value="{_esc(signature or "")}"></label>'
        f'<label class="field"><span data-ui="amount">{_esc(ui["amount"])}</span><input id="f-amount" data-field="amount" inputmode="decimal">'
        '<small class="hint" id="amount-hint"></small></label>'
        f'<label class="field"><span data-ui="tracking">{_esc(ui["tracking"])}</span><input id="f-tracking" data-field="tracking_number" autocapitalize="characters" spellcheck="false"></label>'
        f'<label class="field"><span data-ui="carrier">{_esc(ui["carrier"])}</span><select id="f-carrier" data-field="carrier">'
        f'<option value="" data-ui="carrier_auto">{_esc(ui["carrier_auto"])}</option>{carrier_options}</select></label>'
        f'<div class="field buttons"><button type="button" id="clear" data-ui="clear">{_esc(ui["clear"])}</button>'
        f'<button type="button" id="print" data-ui="print">{_esc(ui["print"])}</button></div>'
        '</div></details>'
        '<p class="status" id="status" aria-live="polite"></p>'
        '</form>'
    )


__all__ = ["build_gallery", "fill_text", "detail_values", "FillValues", "SENTINELS", "money_spec", "build_charmap", "search_fold",
           "LadderStep", "ladder_remedy", "ladder_steps", "move_sentinel_templates", "move_text"]
