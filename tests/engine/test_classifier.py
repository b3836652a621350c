"""The classifier on descriptions it was never trained on (tests/data/heldout.yaml)."""

from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot.engine.catalogue import SCENARIO_IDS, UNKNOWN
from bot.engine.classifier import ScenarioClassifier

HELDOUT = yaml.safe_load((Path(__file__).parent.parent / "data" / "heldout.yaml").read_text(encoding="utf-8"))
CASES = [(sid, text) for sid, texts in HELDOUT.items() for text in texts]


@pytest.fixture(scope="module")
def predictions(engine):
    return [(sid, text, engine.classifier.predict(text)) for sid, text in CASES]


def test_heldout_set_is_disjoint_from_training(engine):
    training = {t.strip() for texts in engine.catalogue.examples.values() for t in texts}
    overlap = [text for _, text in CASES if text.strip() in training]
    assert overlap == []
    assert set(HELDOUT) == set(SCENARIO_IDS)


def test_heldout_top1_accuracy_is_at_least_95_percent(predictions, figures):
    wrong = [(sid, p.scenario, text) for sid, text, p in predictions if p.scenario != sid]
    accuracy = 1 - len(wrong) / len(predictions)
    top3 = sum(sid == p.scenario or sid in dict(p.alternatives) for sid, _, p in predictions) / len(predictions)
    figures["held-out top-1 accuracy"] = f"{accuracy:.1%} of {len(predictions)} descriptions"
    figures["held-out top-3 accuracy"] = f"{top3:.1%}"
    assert accuracy >= 0.95, "misclassified:\n" + "\n".join(f"{s} → {p}: {t}" for s, p, t in wrong)


def test_every_scenario_is_mostly_recognised(predictions):
    per = Counter(sid for sid, _, p in predictions if p.scenario == sid)
    totals = Counter(sid for sid, _, _ in predictions)
    weak = {sid: f"{per[sid]}/{totals[sid]}" for sid in totals if per[sid] / totals[sid] < 0.8}
    assert weak == {}


def test_confidence_is_calibrated(predictions, figures):
    """Expected calibration error over four confidence bands."""
    bands = [(0.0, 0.45), (0.45, 0.7), (0.7, 0.9), (0.9, 1.01)]
    ece = 0.0
    for lo, hi in bands:
        band = [(p.confidence, p.scenario == sid) for sid, _, p in predictions if lo <= p.confidence < hi]
        if band:
            mean_conf = sum(c for c, _ in band) / len(band)
            acc = sum(ok for _, ok in band) / len(band)
            ece += len(band) / len(predictions) * abs(mean_conf - acc)
    figures["held-out calibration error (ECE)"] = f"{ece:.3f}"
    assert ece < 0.08


def test_confident_answers_are_right(predictions):
    confident = [(sid, p) for sid, _, p in predictions if p.confidence >= 0.9]
    assert len(confident) > len(predictions) / 2
    assert sum(p.scenario == sid for sid, p in confident) / len(confident) >= 0.97


def test_out_of_scope_is_unknown_not_a_forced_guess(engine):
    for text in ["今天天气怎么样", "How do I list a new product?", "直播间怎么挂小黄车", "asdfghjkl", "？？？", "😀😀😀"]:
        prediction = engine.classifier.predict(text)
        assert prediction.scenario == UNKNOWN, (text, prediction)


def test_alternatives_are_three_distinct_other_scenarios(engine):
    prediction = engine.classifier.predict("退回来的鞋子少了一只")
    alternatives = [sid for sid, _ in prediction.alternatives]
    assert len(alternatives) == 3 and prediction.scenario not in alternatives and len(set(alternatives)) == 3
    confidences = [prediction.confidence] + [c for _, c in prediction.alternatives]
    assert confidences == sorted(confidences, reverse=True) and sum(confidences) <= 1.0001


def test_traditional_and_simplified_wording_agree(engine):
    simplified = engine.classifier.predict("买家寄错地址了，收件人写成了别人")
    traditional = engine.classifier.predict("買家寄錯地址了，收件人寫成了別人")
    assert simplified.scenario == traditional.scenario == "wrong_return_address"
    assert simplified.confidence == pytest.approx(traditional.confidence)


def test_training_is_deterministic(engine):
    again = ScenarioClassifier(engine.catalogue)
    for _, text in CASES[::7]:
        assert again.predict(text) == engine.classifier.predict(text)
