"""`negobot packs lint` catches what would break a merchant's drafts."""

import shutil

import pytest

from bot.engine.catalogue import LOCALES
from bot.engine.lint import lint_pack
from bot.engine.packs import clear_cache, shipped_pack_dir


def errors(directory):
    clear_cache()
    return [str(f) for f in lint_pack(directory) if f.fatal]


@pytest.mark.parametrize("locale", LOCALES)
def test_shipped_packs_pass(locale):
    assert errors(shipped_pack_dir(locale)) == []


@pytest.fixture
def copy_of(tmp_path):
    def make(locale: str):
        target = tmp_path / f"pack_{locale}"
        shutil.copytree(shipped_pack_dir(locale), target)
        (target / "pack.yaml").write_text((target / "pack.yaml").read_text(encoding="utf-8") + "\ncomplete: true\n", encoding="utf-8")
        return target
    return make


def test_copy_of_a_shipped_pack_passes(copy_of):
    assert errors(copy_of("zh_CN")) == []


def test_syntax_error_with_file_and_line(copy_of):
    pack = copy_of("zh_CN")
    (pack / "partial_refund.buyer.j2").write_text("您好\n{% if tone == 'warm' %}\n亲\n", encoding="utf-8")
    found = errors(pack)
    assert any("partial_refund.buyer.j2:" in e and "syntax error" in e for e in found), found


def test_undefined_variable(copy_of):
    pack = copy_of("en")
    (pack / "return_gift.buyer.j2").write_text("Hi,\n\nplease return the {{ gift_name }}.\n{{ signature }}", encoding="utf-8")
    found = errors(pack)
    assert any("return_gift.buyer.j2:3" in e and "gift_name" in e for e in found), found


def test_missing_template_in_a_complete_pack(copy_of):
    pack = copy_of("zh_CN")
    (pack / "carrier_claim.carrier.j2").unlink()
    assert any("carrier_claim.carrier.j2" in e and "missing" in e for e in errors(pack))


def test_misnamed_template_suggests_the_remedy(copy_of):
    pack = copy_of("zh_CN")
    shutil.copy(pack / "partial_refund.buyer.j2", pack / "partial_refunds.buyer.j2")
    assert any("did you mean partial_refund" in e for e in errors(pack))


def test_unknown_audience(copy_of):
    pack = copy_of("zh_CN")
    shutil.copy(pack / "partial_refund.buyer.j2", pack / "partial_refund.carrier.j2")
    assert any("partial_refund.carrier.j2" in e and "audience" in e for e in errors(pack))


def test_over_long_platform_note(copy_of):
    pack = copy_of("zh_CN")
    (pack / "invite_cancel.platform.j2").write_text("经双方协商一致，" * 30, encoding="utf-8")
    assert any("invite_cancel.platform.j2" in e and "platform note" in e for e in errors(pack))


def test_simplified_characters_in_a_zh_tw_pack(copy_of):
    pack = copy_of("zh_TW")
    path = pack / "return_gift.buyer.j2"
    path.write_text(path.read_text(encoding="utf-8") + "\n请您寄回赠品。", encoding="utf-8")
    found = errors(pack)
    assert any("return_gift.buyer.j2:" in e and "'请'" in e for e in found), found


def test_partial_merchant_pack_falls_back_without_failing(tmp_path):
    (tmp_path / "pack.yaml").write_text("locale: en\n", encoding="utf-8")
    (tmp_path / "partial_refund.buyer.j2").write_text("Hi,\nWe propose {{ amount }}.\n{{ signature }}", encoding="utf-8")
    clear_cache()
    findings = lint_pack(tmp_path)
    assert not [f for f in findings if f.fatal]
    assert any("shipped en template is used" in str(f) for f in findings)


def test_template_that_fails_at_render_time(tmp_path):
    (tmp_path / "pack.yaml").write_text("locale: en\n", encoding="utf-8")
    (tmp_path / "partial_refund.buyer.j2").write_text("{{ amount.__class__.__mro__ }}", encoding="utf-8")
    clear_cache()
    found = errors(tmp_path)
    assert any("partial_refund.buyer.j2" in e and "does not render" in e for e in found), found


def test_missing_move_template_in_a_complete_pack(copy_of):
    pack = copy_of("zh_TW")
    (pack / "move_statement.platform.j2").unlink()
    found = errors(pack)
    assert any("move_statement.platform.j2" in e and "missing" in e for e in found), found


def test_move_template_leaving_none(copy_of):
    pack = copy_of("en")
    (pack / "move_calm.buyer.j2").write_text("Sorry about that.\nYou asked about {{ wants or None }}.\n{{ signature }}", encoding="utf-8")
    found = errors(pack)
    assert any("move_calm.buyer.j2" in e and "'None'" in e for e in found), found


def test_unknown_move_and_move_audience(copy_of):
    pack = copy_of("zh_CN")
    shutil.copy(pack / "move_calm.buyer.j2", pack / "move_clam.buyer.j2")
    shutil.copy(pack / "move_calm.buyer.j2", pack / "move_calm.platform.j2")
    found = errors(pack)
    assert any("move_clam.buyer.j2" in e and "did you mean move_calm" in e for e in found), found
    assert any("move_calm.platform.j2" in e and "audience" in e for e in found), found


def test_move_variables_are_known(copy_of):
    pack = copy_of("zh_CN")
    (pack / "move_nudge.buyer.j2").write_text("{{ c_offer }}{{ history | length }}{{ evidence_to_upload | join('、') }}\n{{ signature }}", encoding="utf-8")
    found = errors(pack)
    assert any("move_nudge.buyer.j2:1" in e and "c_offer" in e for e in found), found
    assert not any("undefined variable 'history'" in e or "undefined variable 'evidence_to_upload'" in e for e in found), found


def test_order_number_in_a_buyer_move_draft(copy_of):
    pack = copy_of("zh_CN")
    path = pack / "move_thank.buyer.j2"
    path.write_text("订单{{ order_id }}\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    found = errors(pack)
    assert any("move_thank.buyer.j2" in e and "order number" in e for e in found), found


def test_over_long_move_platform_note_but_not_the_statement(copy_of):
    pack = copy_of("zh_CN")
    (pack / "move_proof.platform.j2").write_text("请您补充凭证，" * 30, encoding="utf-8")
    found = errors(pack)
    assert any("move_proof.platform.j2" in e and "platform note" in e for e in found), found
    assert not any("move_statement.platform.j2" in e for e in found), found
