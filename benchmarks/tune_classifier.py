"""Choose the classifier's settings by cross-validation on the TRAINING examples only.

    python benchmarks/tune_classifier.py

Prints, for each setting tried, the 5-fold accuracy and log-loss; copy the best into
ClassifierSettings' defaults. The held-out set (tests/data/heldout.yaml) is never read here.
"""

from __future__ import annotations

import itertools
import math
import random

from bot.engine.catalogue import default_catalogue
from bot.engine.classifier import ClassifierSettings, ScenarioClassifier

FOLDS = 5


def folds(examples: dict[str, tuple[str, ...]]):
    rng = random.Random(7)
    assignment = {sid: [i % FOLDS for i in range(len(texts))] for sid, texts in examples.items()}
    for values in assignment.values():
        rng.shuffle(values)
    for k in range(FOLDS):
        train = {sid: tuple(t for t, f in zip(texts, assignment[sid]) if f != k) for sid, texts in examples.items()}
        test = [(sid, t) for sid, texts in examples.items() for t, f in zip(texts, assignment[sid]) if f == k]
        yield train, test


def cross_validate(settings: ClassifierSettings) -> tuple[float, float]:
    catalogue = default_catalogue()
    correct = total = 0
    loss = 0.0
    for train, test in folds(catalogue.examples):
        clf = ScenarioClassifier(catalogue, settings, examples=train)
        for sid, text in test:
            prediction = clf.predict(text)
            probs = {prediction.scenario: prediction.confidence, **dict(prediction.alternatives)}
            correct += prediction.scenario == sid
            loss -= math.log(max(probs.get(sid, 1e-4), 1e-4))
            total += 1
    return correct / total, loss / total


def main() -> None:
    results = []
    for alpha, temperature, keyword_weight in itertools.product((0.05, 0.1, 0.3), (3.0, 4.0, 5.0), (2.0, 3.0, 4.0)):
        settings = ClassifierSettings(alpha=alpha, temperature=temperature, keyword_weight=keyword_weight)
        accuracy, log_loss = cross_validate(settings)
        results.append((log_loss, accuracy, settings))
        print(f"alpha={alpha:<4} T={temperature:<4} kw={keyword_weight:<4} accuracy={accuracy:.3f} log-loss={log_loss:.3f}", flush=True)
    best = min(results, key=lambda r: (r[0], -r[1]))
    print(f"\nbest by log-loss: {best[2]} accuracy={best[1]:.3f} log-loss={best[0]:.3f}")


if __name__ == "__main__":
    main()
