"""The `negobot` command as a merchant or a script uses it: output, exit codes, clear errors."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.engine.catalogue import SCENARIO_IDS

NEGOBOT = shutil.which("negobot", path=str(Path(sys.executable).parent)) or shutil.which("negobot")
EXAMPLE = "买家退货单号SF1409823356721填错了"


def run(*args: str | bytes, stdin: bytes | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([NEGOBOT, *args], input=stdin, capture_output=True, timeout=timeout, env=env)


def out(result) -> str:
    return result.stdout.decode("utf-8")


def err(result) -> str:
    return result.stderr.decode("utf-8")


def assert_clean_failure(result, code: int):
    assert result.returncode == code, (result.returncode, err(result))
    lines = [line for line in err(result).splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("negobot: "), err(result)
    assert "Traceback" not in err(result) + out(result)


@pytest.mark.parametrize("locale", ["zh_CN", "zh_TW", "en"])
def test_done_when_example_in_each_pack(locale):
    result = run("draft", "--json", "--locale", locale, EXAMPLE)
    assert result.returncode == 0, err(result)
    data = json.loads(out(result))
    assert data["scenario"] == "tracking_number_invalid"
    assert data["slots"]["carrier"] == "sf"
    assert any(d["audience"] == "buyer" and "SF1409823356721" in d["text"] for d in data["drafts"])
    assert set(data) >= {"scenario", "confidence", "slots", "advice", "drafts"}


def test_classify_text_is_readable():
    result = run("classify", "退回来少了两双")
    assert result.returncode == 0
    assert "missing_items" in out(result) and "quantity" in out(result) and "2" in out(result)


def test_classify_stdin_writes_one_json_object_per_line_in_order():
    lines = ["买家退货单号SF1409823356721填错了", "快递把退货压坏了", "退回来少了两双", "衣服洗过了吊牌也剪了，扣¥9.9"]
    result = run("classify", stdin="\n".join(lines).encode("utf-8") + b"\n")
    assert result.returncode == 0, err(result)
    objects = [json.loads(line) for line in out(result).splitlines()]
    assert [o["scenario"] for o in objects] == ["tracking_number_invalid", "damaged_in_transit", "missing_items", "resale_affected"]
    assert objects[0]["slots"] == {"tracking_number": "SF1409823356721", "carrier": "sf"}
    assert objects[2]["slots"] == {"quantity": 2}
    assert objects[3]["slots"]["amount"] == 9.9
    for o in objects:
        assert 0 <= o["confidence"] <= 1 and all(a["scenario"] in SCENARIO_IDS for a in o["alternatives"])


def test_classify_stdin_bad_lines_keep_their_place_and_fail_the_exit_code():
    data = "退回来少了一件\n".encode() + b"\xff\xfe\x00junk\n" + b"\n" + "快递把退货压坏了\n".encode()
    result = run("classify", stdin=data)
    assert result.returncode == 2
    objects = [json.loads(line) for line in out(result).splitlines()]
    assert len(objects) == 4
    assert objects[0]["scenario"] == "missing_items" and objects[3]["scenario"] == "damaged_in_transit"
    assert "UTF-8" in objects[1]["error"] and "empty" in objects[2]["error"]
    assert "Traceback" not in err(result)


def test_draft_stdin_json_lines():
    result = run("draft", "--locale", "en", stdin=f"{EXAMPLE}\n快递把退货压坏了\n".encode())
    assert result.returncode == 0
    first, second = (json.loads(line) for line in out(result).splitlines())
    assert first["scenario"] == "tracking_number_invalid"
    assert second["scenario"] == "damaged_in_transit"
    assert any(d["audience"] == "carrier" for d in second["drafts"])


def test_draft_readable_with_shop_signature_and_tone():
    result = run("draft", "退回来少了两双", "--shop", "小鹿家居", "--sign", "小鹿客服阿敏", "--tone", "formal")
    text = out(result)
    assert result.returncode == 0
    assert "小鹿客服阿敏" in text and "少了2双" in text and "您好" in text      # counted the way the merchant did


@pytest.mark.parametrize(
    "args, code",
    [
        (("draft", ""), 2),
        (("draft", "   "), 2),
        (("classify", "x" * 100_000), 2),
        (("draft", "\x01\x02\x03\x04\x05\x06\x07\x08"), 2),
        (("draft", b"\xff\xfe\xfd\x80 \xe4\xb9\xb0\xe5\xae\xb6 junk"), 2),
        (("draft", EXAMPLE, "--tone", "angry"), 2),
        (("draft", EXAMPLE, "--pack", "/nonexistent/pack"), 1),
    ],
)
def test_bad_input_gets_one_clear_line_and_an_exit_code(args, code):
    result = run(*args)
    if code == 2 and "--tone" in args:
        assert result.returncode == 2 and "Traceback" not in err(result)   # argparse's own usage message
        return
    assert_clean_failure(result, code)


def test_template_syntax_in_a_description_is_only_text():
    result = run("draft", "--json", "买家退货单号{{ 7*7 }}{% for x in range(9) %}填错了")
    assert result.returncode == 0
    data = json.loads(out(result))
    assert all("49" not in d["text"] for d in data["drafts"])


def test_broken_pack_is_one_line_naming_file_and_line(tmp_path):
    (tmp_path / "pack.yaml").write_text("locale: zh_CN\n", encoding="utf-8")
    (tmp_path / "correct_tracking.buyer.j2").write_text("您好\n{{ ''.__class__.__mro__ }}\n", encoding="utf-8")
    result = run("draft", EXAMPLE, "--pack", str(tmp_path))
    assert_clean_failure(result, 1)
    assert "correct_tracking.buyer.j2" in err(result)


def test_packs_lint_exit_codes(tmp_path):
    good = run("packs", "lint", str(Path(__file__).parent.parent / "templates" / "zh_TW"))
    if not (Path(__file__).parent.parent / "templates").is_dir():
        pytest.skip("not run from a checkout")
    assert good.returncode == 0, out(good)
    (tmp_path / "pack.yaml").write_text("locale: en\n", encoding="utf-8")
    (tmp_path / "invite_cancel.buyer.j2").write_text("Hi\n{% if tone %}\n", encoding="utf-8")
    bad = run("packs", "lint", str(tmp_path))
    assert bad.returncode == 1
    assert "invite_cancel.buyer.j2:" in out(bad)
    missing = run("packs", "lint", str(tmp_path / "nope"))
    assert_clean_failure(missing, 2)


def test_scenarios_lists_every_id():
    result = run("scenarios", "--json")
    ids = [s["scenario"] for s in json.loads(out(result))]
    assert ids == list(SCENARIO_IDS)


def test_chat_conversation_in_a_terminal():
    opening = ["/shop 小鹿家居", "退回来少了两双，想给买家部分退款"]
    first = out(run("chat", "--locale", "zh_CN", stdin=("\n".join(opening) + "\n/quit\n").encode()))
    assert "小鹿家居客服" in first and "少了2双" in first
    # the merchant asked for a partial refund: it is recommended, and the amount is asked for
    assert "推荐：协商部分退款" in first
    # the other remedies stay reachable as numbered choices
    assert any("用户补寄缺少的商品" in line and "[" in line for line in first.splitlines())
    result = run("chat", "--locale", "zh_CN", stdin=("\n".join([*opening, "20", "/quit"]) + "\n").encode())
    text = out(result)
    assert result.returncode == 0, err(result)
    after_answer = text.split("退款金额")[-1]
    assert "【退款金额】" in text          # the draft first shows the placeholder and asks
    assert "¥20.00" in after_answer        # the answer fills it in


def test_version():
    assert run("--version").returncode == 0


def test_reply_reads_one_answer_and_drafts_the_next_move_in_the_spec_shape():
    result = run("reply", "--json", "--scenario", "missing_items", "--amount", "80", "--limit", "100",
                 "--description", "四件套退回来少了一个枕套", "退我150吧，不然不同意")
    assert result.returncode == 0, err(result)
    report = json.loads(out(result))
    assert set(report) >= {"stance", "confidence", "slots", "advice", "drafts"}
    assert report["stance"] == "counter_offer" and report["slots"]["amount"] == 150
    buyer = next(d for d in report["drafts"] if d["audience"] == "buyer")
    assert buyer["move"] == "offer" and "¥100.00" in buyer["text"] and "¥150" not in buyer["text"]   # the limit, not more
    assert "四件套" in buyer["text"]                            # the item the merchant named


def test_reply_reads_answers_line_by_line_and_flags_bad_lines():
    result = run("reply", "--scenario", "resale_affected", "--amount", "30", "--deduction", "--limit", "20", "--locale", "en",
                 stdin="好的\n\n最多扣20块\n".encode())
    lines = [json.loads(line) for line in out(result).splitlines()]
    assert [line.get("stance") for line in lines] == ["agrees", None, "counter_offer"]
    assert lines[1] == {"error": "the buyer's answer is empty", "line": 2}
    assert "deducting CNY 20.00" in next(d["text"] for d in lines[2]["drafts"] if d["audience"] == "buyer")
    assert result.returncode == 2


@pytest.mark.parametrize("args, code", [
    (["--scenario", "nonsense", "好的"], 2),
    (["--scenario", "missing_items", "--remedy", "carrier_nonsense", "好的"], 2),
    (["--scenario", "missing_items", "--amount", "abc", "好的"], 2),
])
def test_reply_bad_arguments_get_one_line(args, code):
    result = run("reply", *args)
    assert result.returncode == code
    assert "Traceback" not in err(result) and err(result).strip()


def test_reply_gives_an_english_merchant_the_statement_in_simplified_with_a_copy_to_read():
    result = run("reply", "--json", "--locale", "en", "--scenario", "resale_affected", "--remedy", "partial_refund",
                 "--amount", "60", "I'm reporting you to the platform")
    statement = next(d for d in json.loads(out(result))["drafts"] if d["audience"] == "platform")
    assert statement["text"].startswith("举证说明") and "¥60.00" in statement["text"]
    assert statement["reading"].startswith("Statement for the platform") and "CNY 60.00" in statement["reading"]
