"""`negobot packs new` / `packs diff` (bot.engine.pack_tools)."""

from __future__ import annotations

import pytest
import yaml

from bot.engine.catalogue import LOCALES
from bot.engine.lint import lint_pack
from bot.engine.pack_tools import INHERITED, MISSING, OVERRIDDEN, UNCHANGED, diff_pack, new_pack
from bot.engine.packs import PackError, load_pack, shipped_pack_dir


@pytest.mark.parametrize("locale", LOCALES)
def test_new_pack_is_a_complete_copy_that_lints(tmp_path, locale, engine):
    dest = tmp_path / "mine"
    written = new_pack(dest, locale)
    shipped = sorted(p.name for p in shipped_pack_dir(locale).iterdir() if p.suffix in (".j2", ".yaml"))
    assert sorted(p.name for p in written) == shipped
    assert all(p.is_file() for p in written)
    manifest = yaml.safe_load((dest / "pack.yaml").read_text(encoding="utf-8"))
    assert manifest["complete"] is True and manifest["locale"] == locale
    assert [f for f in lint_pack(dest) if f.fatal] == []
    report = diff_pack(dest)
    assert {t.status for t in report.templates} == {UNCHANGED}
    assert [c.key for c in report.manifest] == ["complete"]
    # the copy renders exactly like the shipped pack
    pack = load_pack(None, dest)
    assert engine.drafts("missing_items", {"quantity": 2}, pack)[0].text == engine.drafts("missing_items", {"quantity": 2}, load_pack(locale))[0].text


def test_new_pack_refuses_a_non_empty_folder(tmp_path):
    dest = tmp_path / "mine"
    dest.mkdir()
    (dest / "keep.txt").write_text("x", encoding="utf-8")
    with pytest.raises(PackError, match="not empty") as info:
        new_pack(dest, "zh_CN")
    assert "\n" not in str(info.value)
    assert [p.name for p in dest.iterdir()] == ["keep.txt"]
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(PackError, match="not a folder"):
        new_pack(tmp_path / "file", "zh_CN")
    with pytest.raises(PackError, match="no shipped pack"):
        new_pack(tmp_path / "other", "fr")


def test_new_pack_into_an_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    assert new_pack(tmp_path / "empty", "en")


def test_diff_reports_overrides_inherited_extras_and_settings(tmp_path):
    dest = tmp_path / "mine"
    dest.mkdir()
    (dest / "pack.yaml").write_text(
        'locale: zh_CN\nname: 小鹿家居话术\nmoney_pattern: "#,##0.00 元"\nplaceholders:\n  shop: 门店名\n  amount: 退款金额\ncolour: red\n',
        encoding="utf-8")
    (dest / "partial_refund.buyer.j2").write_text("亲～退款改为{{ amount }}可以吗？\n{{ signature }}\n", encoding="utf-8")
    (dest / "partial_refund.platform.j2").write_bytes((shipped_pack_dir("zh_CN") / "partial_refund.platform.j2").read_bytes())
    (dest / "partal_refund.buyer.j2").write_text("x\n", encoding="utf-8")
    (dest / "partial_refund.carrier.j2").write_text("x\n", encoding="utf-8")
    (dest / "README.txt").write_text("notes\n", encoding="utf-8")
    (dest / "_common.j2").write_text("{% macro greeting(tone) %}嗨{% endmacro %}\n", encoding="utf-8")
    report = diff_pack(dest)
    status = {t.name: t.status for t in report.templates}
    assert status["partial_refund.buyer.j2"] == OVERRIDDEN
    assert status["partial_refund.platform.j2"] == UNCHANGED
    assert status["carrier_claim.carrier.j2"] == INHERITED
    assert MISSING not in status.values()
    extra = dict(report.extra)
    assert "did you mean partial_refund" in extra["partal_refund.buyer.j2"]
    assert "no 'carrier' audience" in extra["partial_refund.carrier.j2"]
    assert "README.txt" in extra
    assert [(t.name, t.status) for t in report.shared] == [("_common.j2", OVERRIDDEN)]
    changes = {c.key: (c.shipped, c.pack) for c in report.manifest}
    assert changes["money_pattern"] == ("¥#,##0.00", "#,##0.00 元")
    assert changes["placeholders.shop"] == ("店铺名称", "门店名")
    assert changes["name"] == ("简体中文", "小鹿家居话术")
    assert "placeholders.amount" not in changes                      # same label as shipped
    assert report.unknown_keys == ["colour"]
    text = report.text()
    assert "overridden  partial_refund.buyer.j2" in text
    assert "inherited   carrier_claim.carrier.j2" in text
    assert "money_pattern: '¥#,##0.00' → '#,##0.00 元'" in text
    assert "unknown     colour" in text
    assert "summary: 1 overridden, 1 unchanged" in text


def test_diff_complete_pack_missing_a_template(tmp_path):
    dest = tmp_path / "mine"
    new_pack(dest, "zh_TW")
    (dest / "return_gift.buyer.j2").unlink()
    report = diff_pack(dest)
    assert {t.name: t.status for t in report.templates}["return_gift.buyer.j2"] == MISSING
    assert "1 missing" in report.text()
    assert any(f.fatal and "return_gift.buyer.j2" in str(f) for f in lint_pack(dest))


def test_diff_errors_are_one_line(tmp_path):
    with pytest.raises(PackError, match="no such folder"):
        diff_pack(tmp_path / "nope")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "pack.yaml").write_text("locale: zh_CN\nname: [unclosed\n", encoding="utf-8")
    with pytest.raises(PackError) as info:
        diff_pack(tmp_path / "bad")
    assert "pack.yaml:" in str(info.value) and "\n" not in str(info.value)
