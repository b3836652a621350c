"""A merchant's own pack can format drafts, and nothing else."""

from pathlib import Path

import pytest

from bot.engine.drafts import MerchantSettings
from bot.engine.packs import PackError, clear_cache, load_pack, shipped_pack_dir


@pytest.fixture
def custom_pack(tmp_path):
    directory = tmp_path / "mypack"
    directory.mkdir()
    (directory / "pack.yaml").write_text("locale: zh_CN\nname: 我的模板\n", encoding="utf-8")
    clear_cache()
    yield directory
    clear_cache()


def render(engine, directory: Path, source: str) -> str:
    (directory / "partial_refund.buyer.j2").write_text(source, encoding="utf-8")
    clear_cache()
    pack = load_pack(None, directory)
    return engine.draft("resale_affected", "partial_refund", "buyer", {"amount": 20}, pack, MerchantSettings()).text


def test_override_is_used_and_the_rest_falls_back_to_the_shipped_pack(engine, custom_pack):
    assert render(engine, custom_pack, "退您{{ amount }}，{{ signature }}") == "退您¥20.00，【店铺名称】客服"
    pack = load_pack(None, custom_pack)
    shipped = engine.draft("missing_items", "resend_missing_items", "buyer", {}, load_pack("zh_CN"), MerchantSettings()).text
    assert engine.draft("missing_items", "resend_missing_items", "buyer", {}, pack, MerchantSettings()).text == shipped


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ amount.__class__.__init__.__globals__ }}",
        "{{ date_in.__globals__['__builtins__'] }}",
        "{{ signature.format.__self__.__class__ }}",
        "{% for x in range(10**9) %}x{% endfor %}",
        "{{ 'x' * 1000000000 }}",
        "{{ 10 ** 100000 }}",
    ],
)
def test_escapes_and_blowups_are_refused_with_one_line(engine, custom_pack, source):
    with pytest.raises(PackError) as caught:
        render(engine, custom_pack, source)
    message = str(caught.value)
    assert "partial_refund.buyer.j2" in message and "\n" not in message


@pytest.mark.parametrize("target", ["/etc/passwd", "../../../../etc/passwd", "../mypack/../../../etc/hostname"])
def test_templates_cannot_read_files_outside_the_pack(engine, custom_pack, target):
    with pytest.raises(PackError) as caught:
        render(engine, custom_pack, "{% include '" + target + "' %}")
    assert "root:" not in str(caught.value)


def test_syntax_error_names_file_and_line(engine, custom_pack):
    with pytest.raises(PackError) as caught:
        render(engine, custom_pack, "第一行\n第二行 {{ amount \n")
    assert "partial_refund.buyer.j2:2" in str(caught.value)


def test_undefined_variable_names_file(engine, custom_pack):
    with pytest.raises(PackError) as caught:
        render(engine, custom_pack, "您好 {{ buyer_name }}")
    assert "buyer_name" in str(caught.value) and "partial_refund.buyer.j2" in str(caught.value)


def test_pack_of_another_locale_is_refused(custom_pack):
    with pytest.raises(PackError, match="zh_CN.*en"):
        load_pack("en", custom_pack)


@pytest.mark.parametrize("manifest", ["locale: ja\n", "locale: [zh_CN\n", "- just a list\n", ""])
def test_broken_manifest_is_a_clear_error(tmp_path, manifest):
    (tmp_path / "pack.yaml").write_text(manifest, encoding="utf-8")
    clear_cache()
    with pytest.raises(PackError) as caught:
        load_pack(None, tmp_path)
    assert "pack.yaml" in str(caught.value) and "\n" not in str(caught.value)


def test_missing_manifest(tmp_path):
    with pytest.raises(PackError, match="pack.yaml"):
        load_pack(None, tmp_path)


def test_shipped_pack_is_found_from_the_installed_package():
    for locale in ("zh_CN", "zh_TW", "en"):
        directory = shipped_pack_dir(locale)
        assert (directory / "pack.yaml").is_file()
        assert len(list(directory.glob("*.j2"))) >= 28


def test_an_installed_negobot_reads_packs_from_inside_the_package():
    import bot

    package = Path(bot.__file__).resolve().parent
    if (package.parent / "pyproject.toml").is_file() and not (package / "templates").is_dir():
        pytest.skip("bot is imported from a source checkout (editable install), not from an installed wheel")
    assert shipped_pack_dir("zh_CN").resolve().is_relative_to(package)
