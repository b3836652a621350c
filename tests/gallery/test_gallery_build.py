"""The gallery builder without a browser: contents, self-containment, the live-fill mirror, refusal of broken packs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.engine.catalogue import LOCALES
from bot.engine.drafts import MerchantSettings
from bot.engine.pack_tools import new_pack
from bot.engine.packs import PackError, load_pack
from bot.gallery.site import (FillValues, build_charmap, build_gallery, detail_values, fill_text, money_spec,
                              search_fold, sentinel_template)

from gallery_helpers import TODAY


def page_data(index: Path) -> dict:
    text = index.read_text(encoding="utf-8")
    raw = re.search(r'<script type="application/json" id="gallery-data">(.*?)</script>', text, re.S).group(1)
    return json.loads(raw.replace("<\\/", "</"))


def test_every_scenario_remedy_audience_per_locale(site, engine):
    text = site.read_text(encoding="utf-8")
    cat = engine.catalogue
    for locale in LOCALES:
        assert f'<section class="pack" data-pack="{locale}"' in text
        for scenario in cat.scenarios.values():
            assert f'id="{locale}.{scenario.id}"' in text
            assert scenario.title[locale] in text
            for line in (scenario.advice[locale].action, *scenario.advice[locale].evidence):
                assert line.replace("&", "&amp;").replace('"', "&quot;").replace("'", "&#x27;").replace("<", "&lt;").replace(">", "&gt;") in text
            for remedy in scenario.remedies:
                for audience in cat.remedy(remedy).audiences:
                    assert f'data-draft="{locale}.{scenario.id}.{remedy}.{audience}"' in text
    for locale in LOCALES:
        manifest = load_pack(locale).manifest
        for key in ("amount", "tracking_number"):
            label = manifest.placeholder.format(label=manifest.placeholders[key])
            assert f'<mark class="ph">{label}</mark>' in text, label


def test_self_contained_no_network(site):
    text = site.read_text(encoding="utf-8")
    assert re.findall(r'(?:src|href)\s*=\s*"(?:https?:)?//', text) == []
    assert "fetch(" not in text and "XMLHttpRequest" not in text and "import(" not in text
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    assert list(site.parent.iterdir()) == [site]                    # one file, nothing else to carry


def test_static_text_is_the_engine_text_with_marks(site, engine):
    text = site.read_text(encoding="utf-8")
    block = re.search(r'data-draft="en\.wrong_item_returned\.wrong_item_reapply\.buyer".*?<pre[^>]*>(.*?)</pre>', text, re.S).group(1)
    plain = re.sub(r"</?mark[^>]*>", "", block)
    import html
    expected = engine.draft("wrong_item_returned", "wrong_item_reapply", "buyer", {}, load_pack("en"), MerchantSettings(), TODAY).text
    assert html.unescape(plain) == expected


VALUE_SETS = [
    FillValues(),
    FillValues(shop="小鹿家居", amount=20.0, tracking_number="SF1409823356721", carrier="sf"),
    FillValues(shop="  Deer & Co  ", signature="  Anna {shop} ", amount=0.125, tracking_number="7312345678901", carrier="zto"),
    FillValues(signature="售后小王", amount=999999.995, carrier="deppon"),
    FillValues(shop="{{ shop }}", signature="None", tracking_number="JT0012345678901"),
]


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("tone", ["warm", "formal"])
def test_fill_mirror_equals_engine(engine, locale, tone):
    """The substitution the page performs gives exactly the engine's draft (Python mirror of the JS)."""
    pack = load_pack(locale)
    cat = engine.catalogue
    for scenario in cat.scenarios.values():
        for remedy in scenario.remedies:
            for audience in cat.remedy(remedy).audiences:
                if audience == "carrier" and locale != "zh_CN":
                    continue        # sent in Simplified Chinese: shown filled by the engine, not live (next test)
                template = sentinel_template(engine, pack, scenario.id, remedy, audience, tone, TODAY)
                for values in VALUE_SETS:
                    slots = {k: getattr(values, k) for k in ("amount", "tracking_number", "carrier") if getattr(values, k) is not None}
                    settings = MerchantSettings(shop=values.shop, signature=values.signature, tone=tone)
                    expected = engine.draft(scenario.id, remedy, audience, slots, pack, settings, TODAY).text
                    assert fill_text(template, detail_values(pack, engine, values, marked=False)) == expected


def test_carrier_letters_are_simplified_with_a_reading_copy(site, engine):
    """Every pack shows the letter that is sent (Simplified) and, outside zh_CN, the merchant's own copy to read."""
    text = site.read_text(encoding="utf-8")
    for locale in ("zh_TW", "en"):
        card = re.search(rf'data-draft="{locale}\.damaged_in_transit\.carrier_claim\.carrier".*?</li>', text, re.S).group(0)
        sent = re.search(r'<pre class="text" lang="zh-CN"[^>]*>(.*?)</pre>', card, re.S).group(1)
        assert "理赔" in sent and "【商品价值】" in re.sub(r"</?mark[^>]*>", "", sent)
        assert '<details class="reading">' in card
        reading = engine.draft("damaged_in_transit", "carrier_claim", "carrier", {}, load_pack(locale), MerchantSettings(), TODAY).reading
        import html
        assert html.escape(reading.splitlines()[1], quote=True)[:20] in card


def test_shop_and_signature_prefill(tmp_path):
    build_gallery(tmp_path / "s", locales=["zh_CN"], shop="小鹿家居", signature="售后小王", today=TODAY)
    text = (tmp_path / "s" / "index.html").read_text(encoding="utf-8")
    assert 'value="小鹿家居"' in text and 'value="售后小王"' in text
    assert "售后小王" in re.search(r'data-draft="zh_CN\.missing_items\.partial_refund\.buyer".*?</pre>', text, re.S).group(0)
    data = page_data(tmp_path / "s" / "index.html")
    assert [p["id"] for p in data["packs"]] == ["zh_CN"]
    assert data["initial"] == {"shop": "小鹿家居", "signature": "售后小王"}


def test_custom_pack_gallery(tmp_path, engine):
    pack_dir = tmp_path / "mine"
    new_pack(pack_dir, "zh_CN")
    (pack_dir / "partial_refund.buyer.j2").write_text("亲～退款改为{{ amount }}可以吗？\n{{ signature }}\n", encoding="utf-8")
    summary = build_gallery(tmp_path / "s", pack_dir=pack_dir, today=TODAY)
    assert "custom" in summary and "page weight" in summary
    text = (tmp_path / "s" / "index.html").read_text(encoding="utf-8")
    assert 'data-pack="custom-zh_CN"' in text and 'data-pack="zh_TW"' not in text
    assert "退款改为<mark class=\"ph\">【退款金额】</mark>可以吗？" in text
    with pytest.raises(PackError, match="zh_CN"):
        build_gallery(tmp_path / "t", pack_dir=pack_dir, locales=["en"], today=TODAY)


def test_template_that_reshapes_a_detail_is_not_live_filled(tmp_path):
    pack_dir = tmp_path / "mine"
    pack_dir.mkdir()
    (pack_dir / "pack.yaml").write_text("locale: en\n", encoding="utf-8")
    (pack_dir / "partial_refund.buyer.j2").write_text("Refund {{ amount | replace('.', ',') }}, {{ shop | upper }}\n", encoding="utf-8")
    summary = build_gallery(tmp_path / "s", pack_dir=pack_dir, shop="Deer", today=TODAY)
    assert "could not be live-filled" in summary
    data = page_data(tmp_path / "s" / "index.html")
    pack = data["packs"][0]
    assert pack["drafts"]["warm"]["custom-en.missing_items.partial_refund.buyer"] is None
    assert pack["fixed"]["warm"]["custom-en.missing_items.partial_refund.buyer"] == "Refund [amount], DEER"


def broken_pack(tmp_path: Path) -> Path:
    pack_dir = tmp_path / "broken"
    pack_dir.mkdir()
    (pack_dir / "pack.yaml").write_text("locale: zh_CN\n", encoding="utf-8")
    (pack_dir / "partial_refund.buyer.j2").write_text("亲～\n退款{{ amout }}\n", encoding="utf-8")
    return pack_dir


def test_broken_pack_writes_nothing(tmp_path):
    out = tmp_path / "site"
    with pytest.raises(PackError) as info:
        build_gallery(out, pack_dir=broken_pack(tmp_path), today=TODAY)
    message = str(info.value)
    assert "\n" not in message and "partial_refund.buyer.j2:2" in message and "amout" in message
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["broken"]        # no staging folder left behind


def test_broken_pack_leaves_an_existing_site_untouched(tmp_path):
    out = tmp_path / "site"
    build_gallery(out, locales=["en"], today=TODAY)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    before = (out / "index.html").read_bytes()
    with pytest.raises(PackError):
        build_gallery(out, pack_dir=broken_pack(tmp_path), today=TODAY)
    assert (out / "index.html").read_bytes() == before
    build_gallery(out, locales=["zh_TW"], today=TODAY)                 # a rebuild replaces index.html only
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert 'data-pack="zh_TW"' in (out / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken", "site"]


def test_out_dir_that_is_a_file(tmp_path):
    (tmp_path / "f").write_text("x", encoding="utf-8")
    with pytest.raises(PackError, match="not a folder"):
        build_gallery(tmp_path / "f", locales=["en"], today=TODAY)


def test_charmap_folds_traditional_and_simplified():
    charmap = build_charmap(["退货单号填错了", "退貨單號填錯了", "头发"])
    assert search_fold("退貨單號", charmap) == search_fold("退货单号", charmap) == "退货单号"
    assert search_fold("頭髮", charmap) == "头发"                   # a Traditional variant not on the site
    assert search_fold("ＳＦ Express", charmap) == "sf express"


@pytest.mark.parametrize("pattern,supported", [("¥#,##0.00", True), ("#,##0.00 元", True), ("#,##,##0.0#", True),
                                               ("#,##0%", False), ("@@@", False), ("0.0E0", False), ("¤¤¤ #,##0", False)])
def test_money_spec(pattern, supported, tmp_path):
    pack_dir = tmp_path / "p"
    pack_dir.mkdir()
    (pack_dir / "pack.yaml").write_text(f'locale: zh_CN\nmoney_pattern: "{pattern}"\n', encoding="utf-8")
    spec = money_spec(load_pack(None, pack_dir))
    assert spec["supported"] is supported
    if not supported:
        assert spec["reason"]
