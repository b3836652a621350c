"""`negobot classify` names further problems a description states in an `also` list."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

NEGOBOT = shutil.which("negobot", path=str(Path(sys.executable).parent)) or shutil.which("negobot")
TWO = "退回来少了一件，而且外包装也压坏了，杯子碎了一个"


def run(*args: str, stdin: bytes | None = None) -> str:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run([NEGOBOT, *args], input=stdin, capture_output=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.decode("utf-8")


def test_classify_json_lines_carry_also():
    lines = run("classify", stdin=(TWO + "\n买家退货单号SF1409823356721填错了\n").encode()).splitlines()
    two, one = (json.loads(line) for line in lines)
    assert {two["scenario"], *two["also"]} == {"missing_items", "damaged_in_transit"}
    assert one["also"] == [] and set(one) == {"scenario", "confidence", "alternatives", "slots", "also"}


def test_classify_readable_output_names_the_other_problem():
    text = run("classify", TWO)
    assert "also:" in text and ("退回商品数量不对" in text or "damaged_in_transit" in text)
