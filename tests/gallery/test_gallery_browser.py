"""The gallery in a real browser: Debian's Chromium, headless, driven by Playwright, from file://."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from babel.numbers import format_currency

from bot.engine.catalogue import LOCALES
from bot.engine.drafts import MerchantSettings
from bot.engine.packs import load_pack
from bot.gallery.site import build_gallery

from gallery_helpers import ARTIFACTS, TODAY

OPENING = "li.draft:not([data-move])"           # a scenario's own drafts; the ladder's carry their move
VISIBLE_DRAFTS = f"{OPENING}:not([hidden])"


def visible_ids(page) -> list[str]:
    return page.eval_on_selector_all(
        f"section.pack:not([hidden]) article.scenario:not([hidden]) {VISIBLE_DRAFTS}",
        "els => els.map(e => e.dataset.draft)")


def all_draft_keys(engine):
    cat = engine.catalogue
    return [(s.id, r, a) for s in cat.scenarios.values() for r in s.remedies for a in cat.remedy(r).audiences]


def engine_text(engine, locale, scenario, remedy, audience, slots=None, shop=None, signature=None, tone="warm"):
    pack = load_pack(locale)
    settings = MerchantSettings(shop=shop, signature=signature, tone=tone)
    return engine.draft(scenario, remedy, audience, slots or {}, pack, settings, TODAY).text


def test_loads_from_file_without_errors_or_network(site, open_page, engine):
    probe = open_page(site)
    page = probe.page
    keys = all_draft_keys(engine)
    for locale in LOCALES:
        ids = page.eval_on_selector_all(f'section[data-pack="{locale}"] {OPENING}', "els => els.map(e => e.dataset.draft)")
        assert ids == [f"{locale}.{s}.{r}.{a}" for s, r, a in keys]
        scenarios = page.eval_on_selector_all(f'section[data-pack="{locale}"] article.scenario', "els => els.map(e => e.dataset.scenario)")
        assert scenarios == list(engine.catalogue.scenarios)
    assert len(visible_ids(page)) == len(keys)           # the first pack is shown, every draft of it
    # placeholders are visibly marked
    marks = page.eval_on_selector_all('section[data-pack="zh_CN"] mark.ph', "els => els.map(e => e.textContent)")
    assert "【退款金额】" in marks and "【退货单号】" in marks
    assert probe.errors == []
    assert probe.requests == []


def test_search_narrows_chinese_english_and_across_scripts(site, open_page):
    page = open_page(site).page
    total = len(visible_ids(page))
    page.fill("#search", "单号")
    simplified = visible_ids(page)
    assert 0 < len(simplified) < total
    for draft_id in simplified[:5]:
        hay = page.eval_on_selector(f'[data-draft="{draft_id}"]', "e => e.closest('article').textContent")
        assert "单号" in hay
    page.fill("#search", "單號")                           # Traditional input finds the Simplified entries
    assert visible_ids(page) == simplified
    page.fill("#search", "partial_refund")                 # remedy ids work in every language
    assert visible_ids(page) and all(".partial_refund." in i for i in visible_ids(page))
    page.fill("#search", "")
    page.click('button.lang[data-pack="en"]')
    page.fill("#search", "carrier")
    english = visible_ids(page)
    assert 0 < len(english) < total and all(i.startswith("en.") for i in english)
    page.fill("#search", "claim carrier")                  # every word must match
    both = visible_ids(page)
    assert 0 < len(both) <= len(english)
    page.click('button.lang[data-pack="zh_TW"]')
    page.fill("#search", "单号")                           # Simplified input finds the Traditional entries
    traditional = visible_ids(page)
    assert traditional and all(i.startswith("zh_TW.") for i in traditional)
    page.fill("#search", "單號")
    assert visible_ids(page) == traditional
    page.fill("#search", "zzqqxx-no-such-words")
    assert visible_ids(page) == []
    assert page.is_visible("#empty")


def test_scenario_filter(site, open_page, engine):
    page = open_page(site).page
    page.select_option("#scenario", "missing_items")
    ids = visible_ids(page)
    expected = [f"zh_CN.missing_items.{r}.{a}" for s, r, a in all_draft_keys(engine) if s == "missing_items"]
    assert ids == expected
    articles = page.eval_on_selector_all("section.pack:not([hidden]) article.scenario:not([hidden])", "els => els.map(e => e.dataset.scenario)")
    assert articles == ["missing_items"]
    page.fill("#search", "快递")                            # filter and search combine
    assert set(visible_ids(page)) <= set(expected)
    page.select_option("#scenario", "")
    page.fill("#search", "")
    assert len(visible_ids(page)) == len(all_draft_keys(engine))


def test_language_switch_swaps_the_drafts(site, open_page, engine):
    page = open_page(site).page
    first = page.text_content('[data-draft="zh_CN.missing_items.partial_refund.buyer"] pre')
    page.click('button.lang[data-pack="en"]')
    assert page.is_hidden('section[data-pack="zh_CN"]') and page.is_visible('section[data-pack="en"]')
    assert page.get_attribute("html", "lang") == "en"
    shown = page.text_content('[data-draft="en.missing_items.partial_refund.buyer"] pre')
    assert shown != first
    assert shown == engine_text(engine, "en", "missing_items", "partial_refund", "buyer")
    assert all(i.startswith("en.") for i in visible_ids(page))
    assert page.text_content("button.copy >> visible=true") == "Copy"
    page.click('button.lang[data-pack="zh_TW"]')
    assert page.text_content('[data-draft="zh_TW.missing_items.partial_refund.buyer"] pre') == \
        engine_text(engine, "zh_TW", "missing_items", "partial_refund", "buyer")


@pytest.mark.parametrize("granted", [True, False], ids=["clipboard-api", "no-permission-fallback"])
def test_copy_button_copies_exactly_the_draft(site, open_page, engine, granted):
    probe = open_page(site, clipboard=granted)
    page = probe.page
    page.fill("#f-shop", "小鹿家居")
    page.fill("#f-amount", "66")
    draft_id = "zh_CN.missing_items.partial_refund.buyer"
    page.click(f'button.copy[data-copy="{draft_id}"]')
    page.wait_for_function("() => window.negobotGallery.copies > 0")
    expected = engine_text(engine, "zh_CN", "missing_items", "partial_refund", "buyer", {"amount": 66.0}, shop="小鹿家居")
    assert page.evaluate("window.negobotGallery.lastCopied") == expected
    if granted:
        assert page.evaluate("navigator.clipboard.readText()") == expected
        assert "\ue000" not in expected and "【退款金额】" not in expected
    assert page.text_content("#toast")
    assert probe.errors == []


def test_live_fill_matches_the_engine_for_every_draft(site, open_page, engine):
    page = open_page(site).page
    values = {"shop": "  小鹿家居 Deer & Co ", "signature": "", "amount": "1,234.5", "tracking": "sf 1409-8233 5672 1", "carrier": ""}
    page.fill("#f-shop", values["shop"])
    page.fill("#f-amount", values["amount"])
    page.fill("#f-tracking", values["tracking"])
    slots = {"amount": 1234.5, "tracking_number": "SF1409823356721", "carrier": "sf"}   # carrier inferred from the number
    for locale in LOCALES:
        page.click(f'button.lang[data-pack="{locale}"]')
        for tone in ("warm", "formal"):
            page.select_option("#tone", tone)
            for scenario, remedy, audience in all_draft_keys(engine):
                if audience == "carrier" and locale != "zh_CN":
                    continue            # sent in Simplified Chinese: static on this page (checked below)
                draft_id = f"{locale}.{scenario}.{remedy}.{audience}"
                expected = engine_text(engine, locale, scenario, remedy, audience, slots, shop=values["shop"], tone=tone)
                assert page.evaluate("id => negobotGallery.draftText(id)", draft_id) == expected, draft_id
            shown = page.text_content(f'[data-draft="{locale}.damaged_in_transit.carrier_claim.carrier"] pre')
            if locale == "zh_CN":
                assert shown == engine_text(engine, locale, "damaged_in_transit", "carrier_claim", "carrier", slots,
                                            shop=values["shop"], tone=tone)
            else:                       # the Simplified letter as the engine writes it, with the reading copy beside
                assert shown == engine_text(engine, locale, "damaged_in_transit", "carrier_claim", "carrier", {}, tone=tone)
                assert page.is_visible(f'[data-draft="{locale}.damaged_in_transit.carrier_claim.carrier"] details.reading summary')
    # an explicit carrier and a signature win; clearing a field brings its placeholder back
    page.click('button.lang[data-pack="zh_CN"]')
    page.select_option("#tone", "warm")
    page.select_option("#f-carrier", "jd")
    page.fill("#f-signature", "售后小王")
    page.fill("#f-amount", "")
    expected = engine_text(engine, "zh_CN", "carrier_tracking_stalled", "carrier_claim", "buyer",
                           {"tracking_number": "SF1409823356721", "carrier": "jd"}, shop=values["shop"], signature="售后小王")
    assert page.evaluate("id => negobotGallery.draftText(id)", "zh_CN.carrier_tracking_stalled.carrier_claim.buyer") == expected
    assert "【退款金额】" in page.text_content('[data-draft="zh_CN.missing_items.partial_refund.buyer"] pre')
    page.fill("#f-amount", "abc")
    assert page.text_content("#amount-hint")


# Descriptions that state nothing beyond the page's fields: the page shows templates without a
# description's facts (item, what happened, fault), so these are where the two must agree letter for letter.
CLI_CASES = [
    ("zh_CN", "买家退货单号SF1409823356721填错了，查不到", "小鹿家居", "售后小王"),
    ("zh_TW", "退貨物流單號JT0012345678901一直查不到資料", "鹿角小舖", None),
    ("en", "tracking YT1234567890123 shows the buyer cancelled the return shipment", "Deer & Co", "Anna, Deer & Co"),
]


@pytest.mark.parametrize("locale,description,shop,signature", CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_page_matches_negobot_draft_json(site, open_page, locale, description, shop, signature):
    command = [sys.executable, "-m", "bot", "draft", description, "--json", "--locale", locale, "--shop", shop]
    if signature:
        command += ["--sign", signature]
    result = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    assert set(result["facts"]) <= {"goods", "return_cancelled"}, result["facts"]     # (no template reads the second)
    slots = result["slots"]
    assert set(slots) <= {"amount", "tracking_number", "carrier"}, slots       # the five page fields cover it
    page = open_page(site).page
    page.click(f'button.lang[data-pack="{locale}"]')
    page.fill("#f-shop", shop)
    page.fill("#f-signature", signature or "")
    if "amount" in slots:
        page.fill("#f-amount", str(slots["amount"]))
    if "tracking_number" in slots:
        page.fill("#f-tracking", slots["tracking_number"])
    if "carrier" in slots:
        page.select_option("#f-carrier", slots["carrier"])
    assert result["drafts"]
    for draft in result["drafts"]:
        if draft["audience"] == "carrier" and locale != "zh_CN":
            continue        # sent in Simplified Chinese, filled by the engine (test_gallery_build)
        draft_id = f"{locale}.{result['scenario']}.{draft['remedy']}.{draft['audience']}"
        assert page.evaluate("id => negobotGallery.draftText(id)", draft_id) == draft["text"]
        assert page.text_content(f'[data-draft="{draft_id}"] pre') == draft["text"]


AMOUNTS = ["0.01", "0.1", "0.125", "0.135", "1", "2.5", "2.675", "9.9", "10", "12.345", "99.995", "100", "999.999",
           "1000", "1234.5", "9999.994", "12345.678", "99999.995", "100000", "765432.1", "999999.99", "1000000"]


def test_amount_formatting_matches_babel(site, open_page, tmp_path):
    page = open_page(site).page
    for locale in LOCALES:
        pack = load_pack(locale)
        got = page.evaluate("([xs, p]) => xs.map(x => negobotGallery.formatMoney(Number(x), p))", [AMOUNTS, locale])
        want = [format_currency(float(a), "CNY", format=pack.manifest.money_pattern, locale=locale, currency_digits=False)
                for a in AMOUNTS]
        assert got == want, locale


@pytest.mark.parametrize("pattern,supported", [("#,##,##0.0# 元", True), ("'RMB' #,##0", True), ("¤ #,##0.00", True),
                                               ("#,##0.00%", False), ("0.###E0", False)])
def test_custom_money_patterns(tmp_path, open_page, engine, pattern, supported):
    pack_dir = tmp_path / "pack"
    pack_dir.mkdir()
    (pack_dir / "pack.yaml").write_text(f'name: 自定义\nlocale: zh_CN\nmoney_pattern: "{pattern}"\n', encoding="utf-8")
    build_gallery(tmp_path / "site", pack_dir=pack_dir, today=TODAY)
    page = open_page(tmp_path / "site" / "index.html").page
    assert page.evaluate("negobotGallery.moneySupported()") is supported
    page.fill("#f-amount", "1234567.891" if supported else "12.5")
    draft_id = "custom-zh_CN.missing_items.partial_refund.buyer"
    text = page.evaluate("id => negobotGallery.draftText(id)", draft_id)
    if supported:
        page.fill("#f-amount", "123456.789")
        pack = load_pack(None, pack_dir)
        expected = engine.draft("missing_items", "partial_refund", "buyer", {"amount": 123456.789}, pack,
                                MerchantSettings(), TODAY).text
        assert page.evaluate("id => negobotGallery.draftText(id)", draft_id) == expected
        assert page.text_content("#amount-hint") == ""
    else:
        assert "【退款金额】" in text
        assert pattern in page.text_content("#amount-hint")


def test_screenshots_phone_and_desktop_and_tap_targets(site, open_page):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone = open_page(site, viewport=(390, 844), is_mobile=True, has_touch=True, device_scale_factor=2).page
    phone.screenshot(path=str(ARTIFACTS / "gallery-phone.png"))
    phone.screenshot(path=str(ARTIFACTS / "gallery-phone-full.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")   # no sideways scrolling
    small = phone.evaluate("""() => [...document.querySelectorAll('button, input, select, summary')]
        .filter(e => e.offsetParent !== null && e.type !== 'checkbox')
        .map(e => [e.id || e.className || e.tagName, e.getBoundingClientRect().height])
        .filter(([, h]) => h < 44)""")
    assert small == []
    desktop = open_page(site, viewport=(1280, 900)).page
    desktop.screenshot(path=str(ARTIFACTS / "gallery-desktop.png"))
    desktop.click('button.lang[data-pack="en"]')
    desktop.fill("#f-shop", "Deer & Co")
    desktop.fill("#f-amount", "66")
    desktop.screenshot(path=str(ARTIFACTS / "gallery-desktop-en.png"))
    for name in ("gallery-phone.png", "gallery-desktop.png"):
        assert (ARTIFACTS / name).stat().st_size > 10_000


def test_print_hides_controls_and_keeps_drafts_whole(site, open_page, tmp_path):
    page = open_page(site).page
    page.emulate_media(media="print")
    assert page.is_hidden("#controls")
    assert not page.is_visible("button.copy >> nth=0")
    style = page.eval_on_selector("li.draft", "e => getComputedStyle(e).breakInside")
    assert style == "avoid"
    assert page.eval_on_selector("pre.text", "e => getComputedStyle(e).whiteSpace") == "pre-wrap"
    pdf = tmp_path / "gallery.pdf"
    page.pdf(path=str(pdf))
    assert pdf.stat().st_size > 10_000


def test_ladder_is_visible_and_its_copy_button_copies_the_move_draft(site, open_page, engine):
    """Under a scenario, the negotiation ladder shows; a ladder draft fills live and copies exactly what
    move_drafts writes for that step."""
    from bot.engine.move_drafts import move_drafts
    from bot.gallery.site import ladder_steps

    probe = open_page(site)
    page = probe.page
    article = 'section[data-pack="zh_CN"] article[data-scenario="missing_items"]'
    assert page.is_visible(f"{article} section.ladder h3.ladder-title")
    assert page.text_content(f"{article} section.ladder h3.ladder-title") == "协商阶梯"
    assert page.is_visible(f'{article} table.ladder-table tr[data-stance="escalates"]')
    assert page.eval_on_selector_all(f"{article} table.ladder-table tbody tr", "els => els.map(e => e.dataset.stance)") == \
        ["agrees", "refuses", "counter_offer", "asks", "already_done", "upset", "escalates", "unclear"]
    page.fill("#f-shop", "小鹿家居")
    page.fill("#f-amount", "66")
    steps = {s.stance: s for s in ladder_steps(engine, "missing_items")}
    pack = load_pack("zh_CN")
    settings = MerchantSettings(shop="小鹿家居")
    for stance, audience in (("refuses", "buyer"), ("escalates", "platform"), ("agrees", "buyer")):
        draft_id = f"zh_CN.missing_items.ladder.{stance}.{audience}"
        card = f'li.draft[data-draft="{draft_id}"]'
        assert page.is_visible(card) and page.is_visible(f"{card} button.copy")
        expected = next(d.text for d in move_drafts(engine, "missing_items", steps[stance].step, {"amount": 66.0}, pack,
                                                    settings, context=steps[stance].context, today=TODAY)
                        if d.audience == audience)
        assert page.text_content(f"{card} pre") == expected            # filled live like every draft
        before = page.evaluate("window.negobotGallery.copies")
        page.click(f"{card} button.copy")
        page.wait_for_function("n => window.negobotGallery.copies > n", arg=before)
        assert page.evaluate("window.negobotGallery.lastCopied") == expected
        assert page.evaluate("navigator.clipboard.readText()") == expected
    refusal = page.text_content('li.draft[data-draft="zh_CN.missing_items.ladder.refuses.buyer"] pre')
    assert "66" in refusal and "【退款金额】" not in refusal          # the amount typed reaches the offer
    statement = page.text_content('li.draft[data-draft="zh_CN.missing_items.ladder.escalates.platform"] pre')
    assert "【协商记录" in statement
    page.click(f'{article} table.ladder-table a[href$=".ladder.escalates"]')            # the table links to its step
    assert page.is_visible('li.step[id="zh_CN.missing_items.ladder.escalates"]')
    page.fill("#search", "举证说明")                                  # a search folds away ladder steps without a match
    assert page.is_visible('li.step[id="zh_CN.missing_items.ladder.escalates"]')
    assert page.is_hidden('li.step[id="zh_CN.missing_items.ladder.agrees"]')
    assert probe.errors == []
