"""negobot's classifier beside a plain scikit-learn peer, on the same training examples and held-out sets.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/classifier_peer.py [--misses]

The peer is what anyone would try first: TfidfVectorizer(analyzer='char_wb', ngram_range=(1, 3)) +
LinearSVC, trained on negobot's own training examples (bot/data/examples/*.yaml), normalised the
same way (NFKC, lower case, Traditional -> Simplified). It has no confidence, so it always names a
case; its top-3 comes from the ranking of its decision values.

Printed per held-out set: top-1 for both; for negobot also top-3, calibration error (ECE over the
bands 0-0.45-0.7-0.9-1), the confident-error share (wrong answers with confidence >= 0.8 / all
wrong answers) and how many out-of-scope (`unknown`) texts were forced into a case with a
confidence at or above the ask threshold. Also 5-fold cross-validation on the training examples.
scikit-learn is a benchmark extra, never a runtime dependency.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine.catalogue import SCENARIO_IDS, default_catalogue  # noqa: E402
from bot.engine.classifier import ScenarioClassifier  # noqa: E402
from bot.engine.evaluation import Labelled, folds, load_labelled, measure  # noqa: E402
from bot.engine.normalise import normalise  # noqa: E402

HELDOUT_SETS = {
    "held-out (short)": ROOT / "tests" / "data" / "heldout.yaml",
    "held-out (realistic)": ROOT / "tests" / "data" / "heldout_realistic.yaml",
}


@dataclass(frozen=True)
class PeerPrediction:
    scenario: str
    confidence: float
    alternatives: tuple[tuple[str, float], ...]
    also: tuple[str, ...] = ()


class Peer:
    def __init__(self, examples: dict[str, tuple[str, ...]]):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.svm import LinearSVC

        texts = [normalise(t) for sid in SCENARIO_IDS for t in examples.get(sid, ())]
        labels = [sid for sid in SCENARIO_IDS for _ in examples.get(sid, ())]
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3))
        self.model = LinearSVC()
        self.model.fit(self.vectorizer.fit_transform(texts), labels)

    def predict(self, text: str) -> PeerPrediction:
        scores = self.model.decision_function(self.vectorizer.transform([normalise(text)]))[0]
        ranked = sorted(zip(self.model.classes_, scores), key=lambda p: -p[1])
        # No probabilities: confidence 1 for the answer (it always answers), 0 for the rest.
        return PeerPrediction(str(ranked[0][0]), 1.0, tuple((str(s), 0.0) for s, _ in ranked[1:4]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list negobot's wrong answers on the held-out sets")
    args = parser.parse_args()
    catalogue = default_catalogue()
    started = time.perf_counter()
    negobot = ScenarioClassifier(catalogue)
    negobot_seconds = time.perf_counter() - started
    started = time.perf_counter()
    peer = Peer(catalogue.examples)
    peer_seconds = time.perf_counter() - started
    ask = negobot.settings.min_confidence
    print(f"training examples: {sum(len(t) for t in catalogue.examples.values())}; "
          f"training time negobot {negobot_seconds:.2f} s, peer {peer_seconds:.2f} s (after imports)")

    cv_ours, cv_peer = {}, {}
    for train, test in folds(catalogue.examples):
        ours, theirs = ScenarioClassifier(catalogue, examples=train), Peer(train)
        for item in test:
            cv_ours[item.text], cv_peer[item.text] = ours.predict(item.text), theirs.predict(item.text)
    items = [Labelled(t, sid) for sid, texts in catalogue.examples.items() for t in texts]
    sets = [("5-fold CV on training", items, cv_ours.__getitem__, cv_peer.__getitem__)]
    for name, path in HELDOUT_SETS.items():
        if path.exists():
            sets.append((name, load_labelled(path), negobot.predict, peer.predict))
        else:
            print(f"{name}: {path.relative_to(ROOT)} not found, skipped")

    for name, labelled, ours, theirs in sets:
        mine, peers = measure(labelled, ours, ask), measure(labelled, theirs, ask)
        print(f"\n{name} — {mine.total} texts")
        print(f"  negobot   top-1 {mine.top1:6.1%}   top-3 {mine.top3:6.1%}   ECE {mine.ece:.3f}   "
              f"confident errors {mine.confident_wrong}/{mine.wrong} ({mine.confident_error_share:.0%})   "
              f"out-of-scope forced {mine.unknown_forced}/{mine.unknown_total}   asked {mine.asked}")
        print(f"  peer      top-1 {peers.top1:6.1%}   top-3 {peers.top3:6.1%}   "
              f"out-of-scope forced {peers.unknown_forced}/{peers.unknown_total}")
        if mine.also_total:
            print(f"  counting an answer that is any of a text's labelled problems: negobot top-1 {mine.top1_any:.1%}, "
                  f"confident errors {mine.confident_wrong_any}/{mine.wrong_any} ({mine.confident_error_share_any:.0%}); "
                  f"peer top-1 {peers.top1_any:.1%}")
            print(f"  negobot multi-problem: every labelled problem named (answer + `also`) in {mine.also_found} of "
                  f"{mine.also_total}; an `also` on {mine.also_spurious} of {mine.total - mine.also_total} single-problem texts")
        if args.misses:
            for want, got, confidence, text in mine.misses:
                print(f"    {want:>26} → {got:<26} {confidence:.2f}  {text[:90]!r}")


if __name__ == "__main__":
    main()
