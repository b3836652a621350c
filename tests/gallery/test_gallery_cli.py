"""The gallery and pack-tool commands: exit codes and one-line errors."""

from __future__ import annotations

import subprocess
import sys

from bot.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_gallery_command(tmp_path, capsys):
    code, out, err = run(capsys, "gallery", str(tmp_path / "site"), "--locale", "en", "--locale", "zh_TW", "--shop", "Deer")
    assert code == 0 and err == ""
    assert "page weight" in out and out.count("\n") == 1
    text = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'data-pack="en"' in text and 'data-pack="zh_TW"' in text and 'data-pack="zh_CN"' not in text


def test_gallery_refuses_a_broken_pack(tmp_path, capsys):
    pack = tmp_path / "broken"
    pack.mkdir()
    (pack / "pack.yaml").write_text("locale: en\n", encoding="utf-8")
    (pack / "partial_refund.buyer.j2").write_text("Hi {{ shop }\n", encoding="utf-8")
    code, out, err = run(capsys, "gallery", str(tmp_path / "site"), "--pack", str(pack))
    assert code == 1 and out == ""
    assert err.startswith("negobot: ") and err.count("\n") == 1 and "partial_refund.buyer.j2:1" in err
    assert not (tmp_path / "site").exists()


def test_gallery_missing_pack_folder(tmp_path, capsys):
    code, _, err = run(capsys, "gallery", str(tmp_path / "site"), "--pack", str(tmp_path / "nope"))
    assert code == 1 and "no such folder" in err and err.count("\n") == 1


def test_packs_new_and_diff(tmp_path, capsys):
    dest = tmp_path / "mine"
    code, out, err = run(capsys, "packs", "new", str(dest), "--from", "zh_TW")
    assert code == 0 and "new zh_TW pack" in out and err == ""
    code, out, err = run(capsys, "packs", "lint", str(dest))
    assert code == 0, out
    (dest / "invite_cancel.buyer.j2").write_text("您好～方便取消售後申請嗎？\n{{ signature }}\n", encoding="utf-8")
    code, out, err = run(capsys, "packs", "diff", str(dest))
    assert code == 0 and "overridden  invite_cancel.buyer.j2" in out
    code, out, err = run(capsys, "packs", "new", str(dest), "--from", "zh_TW")
    assert code == 1 and out == "" and err.startswith("negobot: ") and err.count("\n") == 1 and "not empty" in err


def test_packs_diff_errors(tmp_path, capsys):
    code, out, err = run(capsys, "packs", "diff", str(tmp_path / "nope"))
    assert code == 1 and err.count("\n") == 1


def test_console_script_end_to_end(tmp_path):
    result = subprocess.run([sys.executable, "-m", "bot", "gallery", str(tmp_path / "site"), "--locale", "zh_CN"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "index.html").is_file()
