"""Worst-case time of classify + slot extraction (Engine.analyse) over adversarial inputs up to 100 000 characters.

    /work/venv/bin/python benchmarks/worst_case_classify.py [--repeat N] [--json]

Prints one line per input (length, best-of-N seconds) and the worst case. No assertion: the figures
are for the README and for spotting regex backtracking blow-ups (time growing faster than length).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.engine.drafts import default_engine  # noqa: E402

N = 100_000


def adversarial_inputs(n: int = N) -> dict[str, str]:
    rng = random.Random(4)
    mixed = "退货单号SF1409823356721填错了 the buyer 退貨單號 ¥9.9 少了两双 only 1 of the 3 ١٢٣ 𝟙𝟚 ｓｆ１２３ \u200b\ufeff ½ Ⅻ "
    return {
        "digits": "1" * n,
        "digits-spaced": "1 " * (n // 2),
        "digits-hyphen": "12-" * (n // 3),
        "sf-repeated": "SF " * (n // 3),
        "sf-codes": "SF1409823356721 " * (n // 16),
        "letters-digits": "A1" * (n // 2),
        "nested-braces": "{{" * (n // 4) + "{%" * (n // 4),
        "yuan-run": "元" * n,
        "yuan-digits": "1元" * (n // 2),
        "amount-cues": "退1.1" * (n // 4),
        "rmb-commas": "¥" + "1," * (n // 2 - 1),
        "numerals": "一二三四五六七八九十百千万" * (n // 13),
        "buy-return": "买了4件只退回1件" * (n // 9),
        "buy-no-measure": "买了" + "4" * (n - 2),
        "missing-cn": "少了" * (n // 2),
        "english-only": "only one of the " * (n // 16),
        "english-missing": "missing " * (n // 8),
        "ordered-only": "3 items ordered " + "x" * (n - 40) + " only 1",
        "label-window": "单号:" * (n // 3),
        "order-label": "订单号 " * (n // 4),
        "phone-like": "13800138000 " * (n // 12),
        "whitespace": " \t\n" * (n // 3),
        "invisible": "\u200b" * n,
        "mixed-scripts": (mixed * (n // len(mixed) + 1))[:n],
        "random-unicode": "".join(chr(rng.randrange(0x20, 0x2FFFF)) for _ in range(n)),
        "random-cjk-digits": "".join(rng.choice("退货单号少件元块12345SFJT ,.-") for _ in range(n)),
    }


def measure(engine, text: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        engine.analyse(text)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    engine = default_engine()
    engine.analyse("预热 warm-up")
    results = {}
    for name, text in adversarial_inputs().items():
        results[name] = (len(text), measure(engine, text, args.repeat))
        if not args.json:
            print(f"{name:<18} {len(text):>7} chars  {results[name][1] * 1000:9.1f} ms", flush=True)
    worst = max(results, key=lambda k: results[k][1])
    if args.json:
        print(json.dumps({"worst": worst, "seconds": results[worst][1],
                          "results": {k: {"chars": c, "seconds": s} for k, (c, s) in results.items()}}))
    else:
        print(f"worst case: {worst} — {results[worst][1] * 1000:.1f} ms for {results[worst][0]} characters (best of {args.repeat})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
