"""How well negobot reads a buyer's answer (bot/engine/stances.py).

    .venv/bin/python benchmarks/stance_accuracy.py [--misses] [--fit]

Printed: 5-fold cross-validation on the training examples (bot/data/stances/examples.yaml), and, when
tests/data/stances_heldout.yaml exists, the same figures on that held-out set: overall accuracy,
precision/recall per stance, accuracy per locale, the share read as unsure, accuracy among the sure
readings, confident errors (sure but wrong), slot accuracy where the case gives one (amount, tracking
number, topic, done), and read time per message (median, and the largest on a 5 000-character paste).

The held-out set is written by someone else and stays blind: only aggregate figures are printed for
it, never its texts. `--misses` lists the cross-validation misses (training examples only).
`--fit` fits the confidence calibration on the cross-validation readings and prints the weights to
put in StanceSettings.calibration.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine.catalogue import default_catalogue  # noqa: E402
from bot.engine.stance_evaluation import cross_validation, fit_calibration, load_cases, measure  # noqa: E402
from bot.engine.stances import StanceReader, load_examples  # noqa: E402

HELDOUT = ROOT / "tests" / "data" / "stances_heldout.yaml"


def long_paste() -> str:
    turns = []
    for i in range(60):
        turns.append(f"客服小美 2024-11-02 14:{i % 60:02d}\n亲，我们这边可以给您退款80元，您看可以吗？")
        turns.append(f"买家小王 2024-11-02 14:{i % 60:02d}\n我再想想，东西确实有点问题，第{i}次说了")
    turns.append("买家小王 2024-11-02 15:00\n行吧，但是最多扣10块，不然我就申请平台介入")
    text = "\n".join(turns)
    return (text * 2)[-5000:]


def timing(reader: StanceReader, texts: list[str]) -> list[str]:
    times = []
    for text in texts:
        start = time.perf_counter()
        reader.read(text)
        times.append((time.perf_counter() - start) * 1000)
    paste = long_paste()
    paste_times = []
    for _ in range(5):
        start = time.perf_counter()
        reader.read(paste)
        paste_times.append((time.perf_counter() - start) * 1000)
    return [f"read time per message: median {statistics.median(times):.2f} ms over {len(times)}; "
            f"5 000-char paste: max {max(paste_times):.1f} ms over 5 reads"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--misses", action="store_true", help="list cross-validation misses (training examples)")
    parser.add_argument("--fit", action="store_true", help="fit the confidence calibration on cross-validation")
    args = parser.parse_args()
    catalogue = default_catalogue()
    start = time.perf_counter()
    reader = StanceReader(catalogue)
    print(f"reader built in {(time.perf_counter() - start) * 1000:.0f} ms")
    examples = load_examples()
    print(f"training examples: {sum(map(len, examples.values()))}")

    cv, rows = cross_validation(examples, 5, catalogue)
    for line in cv.lines("5-fold cross-validation on the training examples"):
        print(line)
    if args.misses:
        for gold, got, confidence, text in cv.misses:
            print(f"    {gold} -> {got} ({confidence:.2f}): {text!r}")
    if args.fit:
        print("calibration fitted on cross-validation:", fit_calibration(rows))

    texts = [t for ts in examples.values() for t in ts]
    if HELDOUT.exists():
        cases = load_cases(HELDOUT)
        held = measure(cases, reader)
        for line in held.lines(f"held-out ({HELDOUT.name})"):
            print(line)
        texts = [case.text for case in cases]
    else:
        print(f"held-out: {HELDOUT.relative_to(ROOT)} is absent")
    for line in timing(reader, texts):
        print(line)


if __name__ == "__main__":
    main()
