"""Choose the classifier's settings and fit its calibration by cross-validation on the TRAINING examples only.

    python benchmarks/tune_classifier.py [--quick]

For each setting tried, prints the 5-fold top-1 accuracy and log-loss of the uncalibrated model;
then, for the best, fits the calibration (confidence = sigmoid(w · inputs), the inputs listed in
bot/engine/classifier.py: the top probability, how much of the text is in-domain, and how strongly
the text's keyword cues point elsewhere; maximum likelihood of "the top answer is right" over the out-of-fold
readings of the realistic examples — every examples/*.yaml but the short train.yaml, each file
read by a model trained on the other files, since long, chatty descriptions from another hand are
what the calibration must be honest on) and prints it with the calibrated
figures. Copy the result into ClassifierSettings'
defaults. The held-out sets in tests/data/ are never read here: they check the calibration, they
do not fit it.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import math
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.engine.catalogue import UNKNOWN, default_catalogue  # noqa: E402
from bot.engine.classifier import MAX_CLASSIFIED_CHARS, ClassifierSettings, ScenarioClassifier  # noqa: E402
from bot.engine.evaluation import CONFIDENT, expected_calibration_error, folds  # noqa: E402
from bot.engine.normalise import normalise  # noqa: E402



EXAMPLES = Path(__file__).resolve().parent.parent / "bot" / "data" / "examples"


def out_of_file(settings: ClassifierSettings):
    """(gold, reading, in-domain?) for every example of the realistic files, each file read by a
    model trained on all the other files: a shift like the one to text a different author wrote,
    which 5-fold cross-validation (folds share their author's habits) does not show."""
    catalogue = default_catalogue()
    source: dict[str, str] = {}
    for path in EXAMPLES.glob("*.yaml"):
        for values in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).values():
            source.update((str(t), path.name) for t in values or ())
    rows = []
    for name in sorted(set(source.values()) - {"train.yaml"}):
        train = {sid: tuple(t for t in texts if source.get(t) != name) for sid, texts in catalogue.examples.items()}
        clf = ScenarioClassifier(catalogue, settings, examples=train)
        for sid, texts in catalogue.examples.items():
            for text in texts:
                if source.get(text) == name:
                    reading = clf._reading(normalise(text[:MAX_CLASSIFIED_CHARS]))
                    rows.append((sid, reading, reading.n_features > 0 and reading.known_share >= settings.min_known_features))
    return rows


def realistic_texts() -> set[str]:
    """Training examples from examples/*.yaml other than train.yaml (the long, chatty ones)."""
    texts: set[str] = set()
    for path in EXAMPLES.glob("*.yaml"):
        if path.name != "train.yaml":
            for values in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).values():
                texts.update(str(t) for t in values or ())
    return texts


def out_of_fold(settings: ClassifierSettings, only: set[str] | None = None):
    """(gold, reading, in-domain?) for every training example (or those in `only`), read by a model
    that never saw it."""
    catalogue = default_catalogue()
    rows = []
    for train, test in folds(catalogue.examples):
        clf = ScenarioClassifier(catalogue, settings, examples=train)
        for sid, text in ((item.scenario, item.text) for item in test):
            if only is not None and text not in only:
                continue
            reading = clf._reading(normalise(text[:MAX_CLASSIFIED_CHARS]))
            rows.append((sid, reading, reading.n_features > 0 and reading.known_share >= settings.min_known_features))
    return rows


def uncalibrated(rows) -> tuple[float, float]:
    correct = sum(r.probs[0][0] == sid for sid, r, _ in rows)
    loss = -sum(math.log(max(dict(r.probs).get(sid, 1e-4), 1e-4)) for sid, r, _ in rows)
    return correct / len(rows), loss / len(rows)


def _inputs(reading) -> list[float]:
    return list(reading.calibration_inputs())


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the system is 4×4)."""
    n = len(vector)
    rows = [row[:] + [vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(n):
            if r != col and rows[col][col]:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col])]
    return [rows[i][n] / rows[i][i] for i in range(n)]


RAISE_ONLY = (1, 2)        # in-domain shares
LOWER_ONLY = (3, 4, 5)     # cues of a return problem behind `unknown`, cues of a rival problem, disagreement


def fit_calibration(rows, ridge: float = 1e-2, iterations: int = 50) -> tuple[float, ...]:
    """Logistic regression of "the top answer is right" on the four inputs (Newton's method).

    The two in-domain shares may only raise confidence, never lower it: a text further from the
    training examples must not come out surer. Cross-validation cannot see that direction (its test
    folds are written like its training folds), so an input whose fitted weight comes out negative
    is dropped and the rest refitted."""
    data = [(_inputs(r), float(r.probs[0][0] == sid)) for sid, r, gated in rows if gated]
    size = len(data[0][0])
    active = list(range(size))
    while True:
        theta = _newton([([x[i] for i in active], y) for x, y in data], ridge, iterations)
        wrong_way = [i for i, t in zip(active, theta) if (i in RAISE_ONLY and t < 0) or (i in LOWER_ONLY and t > 0)]
        negative = wrong_way
        if not negative:
            break
        active.remove(negative[0])
    full = [0.0] * size
    for i, t in zip(active, theta):
        full[i] = t
    return tuple(round(t, 3) for t in full)


def _newton(data, ridge: float, iterations: int) -> list[float]:
    k = len(data[0][0])
    theta = [0.0] * k
    for _ in range(iterations):
        grad = [ridge * t for t in theta]
        hessian = [[ridge if i == j else 0.0 for j in range(k)] for i in range(k)]
        for x, y in data:
            z = sum(t * v for t, v in zip(theta, x))
            p = 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))
            for i in range(k):
                grad[i] += (p - y) * x[i]
                for j in range(k):
                    hessian[i][j] += p * (1 - p) * x[i] * x[j]
        step = _solve(hessian, grad)
        theta = [t - s for t, s in zip(theta, step)]
        if max(abs(s) for s in step) < 1e-7:
            break
    return theta


def calibrated_figures(rows, settings: ClassifierSettings) -> str:
    clf = ScenarioClassifier.__new__(ScenarioClassifier)
    clf.settings = settings
    results = []
    for sid, reading, gated in rows:
        guess = reading.probs[0][0] if gated else UNKNOWN
        confidence = clf.calibrated(reading) if gated else 0.5
        results.append((confidence, guess == sid))
    wrong = [c for c, ok in results if not ok]
    confident_wrong = sum(c >= CONFIDENT for c in wrong)
    return (f"top-1 {sum(ok for _, ok in results) / len(results):.3f}, ECE {expected_calibration_error(results):.3f}, "
            f"confident errors {confident_wrong}/{len(wrong)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only fit the calibration of the current defaults")
    args = parser.parse_args()
    base = ClassifierSettings()
    grid = [{}] if args.quick else [
        {"mix": mix, "linear_scale": scale, "linear_epochs": epochs}
        for mix, scale, epochs in itertools.product((0.5, 0.6, 0.7), (4.0, 5.0, 6.0), (3,))
    ]
    results = []
    for change in grid:
        settings = dataclasses.replace(base, **change)
        rows = out_of_fold(settings)
        accuracy, log_loss = uncalibrated(rows)
        results.append((log_loss, accuracy, settings, rows))
        print(f"{change or 'defaults'} accuracy={accuracy:.3f} log-loss={log_loss:.3f}", flush=True)
    log_loss, accuracy, best, rows = min(results, key=lambda r: (r[0], -r[1]))
    fit_rows = out_of_file(best)
    calibration = fit_calibration(fit_rows)
    tuned = dataclasses.replace(best, calibration=calibration)
    print(f"\nbest by log-loss: mix={best.mix} linear_scale={best.linear_scale} linear_epochs={best.linear_epochs} "
          f"accuracy={accuracy:.3f} log-loss={log_loss:.3f}")
    print(f"calibration = {calibration}")
    plain = dataclasses.replace(best, calibration=(1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0))
    print(f"out-of-fold, all {len(rows)}: calibrated {calibrated_figures(rows, tuned)}; uncalibrated {calibrated_figures(rows, plain)}")
    print(f"out-of-file, realistic {len(fit_rows)}: calibrated {calibrated_figures(fit_rows, tuned)}; "
          f"uncalibrated {calibrated_figures(fit_rows, plain)}")


if __name__ == "__main__":
    main()
