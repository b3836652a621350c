"""The classifier on descriptions it was never trained on.

Two held-out sets, both written apart from the training examples and never trained on:
- tests/data/heldout.yaml — 245 short descriptions in the style of the first training examples;
- tests/data/heldout_realistic.yaml — 362 texts as merchants really send them (stories with times
  and amounts, pasted buyer chats, colloquial and regional wording, Traditional from Taiwan and Hong
  Kong, English seller-forum posts, typos and pinyin, several problems at once, out-of-scope
  questions), written by an author who never saw the training data.
The thresholds are what a merchant would notice; the figures are printed under "negobot figures".
"""

from collections import Counter
from pathlib import Path

import pytest

from bot.engine.catalogue import SCENARIO_IDS, UNKNOWN
from bot.engine.classifier import ScenarioClassifier
from bot.engine.evaluation import CONFIDENT, load_labelled, measure

DATA = Path(__file__).parent.parent / "data"
SHORT = load_labelled(DATA / "heldout.yaml")
REALISTIC = load_labelled(DATA / "heldout_realistic.yaml")


@pytest.fixture(scope="module")
def predictions(engine):
    return [(item.scenario, item.text, engine.classifier.predict(item.text)) for item in SHORT]


@pytest.fixture(scope="module")
def short_figures(engine):
    return measure(SHORT, engine.classifier.predict, engine.classifier.settings.min_confidence)


@pytest.fixture(scope="module")
def realistic_figures(engine, figures):
    fig = measure(REALISTIC, engine.classifier.predict, engine.classifier.settings.min_confidence)
    figures["realistic held-out top-1 / top-3"] = f"{fig.top1:.1%} / {fig.top3:.1%} of {fig.total} texts"
    figures["realistic held-out calibration error (ECE)"] = f"{fig.ece:.3f}"
    figures["realistic held-out confident errors (>= 0.8)"] = (
        f"{fig.confident_wrong} of {fig.wrong} wrong answers ({fig.confident_error_share:.0%}), "
        f"{fig.confident_wrong / fig.total:.1%} of all answers")
    figures["realistic held-out out-of-scope forced into a case"] = f"{fig.unknown_forced} of {fig.unknown_total}"
    figures["realistic held-out, answer is any labelled problem"] = (
        f"top-1 {fig.top1_any:.1%}; confident errors {fig.confident_wrong_any} of {fig.wrong_any}")
    figures["realistic held-out several problems: all named"] = (
        f"{fig.also_found} of {fig.also_total}; an `also` on {fig.also_spurious} of {fig.total - fig.also_total} single-problem texts")
    return fig


def test_heldout_sets_are_disjoint_from_training(engine):
    training = {t.strip() for texts in engine.catalogue.examples.values() for t in texts}
    for items in (SHORT, REALISTIC):
        assert [item.text for item in items if item.text.strip() in training] == []
        assert {item.scenario for item in items} == set(SCENARIO_IDS)


def test_realistic_heldout_set_is_broad():
    assert len(REALISTIC) >= 300
    assert {item.lang for item in REALISTIC} >= {"zh_CN", "zh_TW", "en"}
    assert sum(item.scenario == UNKNOWN for item in REALISTIC) >= 30
    assert sum(bool(item.also) for item in REALISTIC) >= 20
    assert all(set(item.also) <= set(SCENARIO_IDS) for item in REALISTIC)


def test_heldout_top1_accuracy_is_at_least_95_percent(predictions, short_figures, figures):
    figures["held-out top-1 accuracy"] = f"{short_figures.top1:.1%} of {short_figures.total} descriptions"
    figures["held-out top-3 accuracy"] = f"{short_figures.top3:.1%}"
    wrong = [f"{s} → {p}: {t}" for s, p, _c, t in short_figures.misses]
    assert short_figures.top1 >= 0.95, "misclassified:\n" + "\n".join(wrong)


def test_every_scenario_is_mostly_recognised(predictions):
    per = Counter(sid for sid, _, p in predictions if p.scenario == sid)
    totals = Counter(sid for sid, _, _ in predictions)
    weak = {sid: f"{per[sid]}/{totals[sid]}" for sid in totals if per[sid] / totals[sid] < 0.8}
    assert weak == {}


def test_confidence_is_calibrated(short_figures, figures):
    """Expected calibration error over four confidence bands."""
    figures["held-out calibration error (ECE)"] = f"{short_figures.ece:.3f}"
    assert short_figures.ece < 0.08


def test_confident_answers_are_right(predictions):
    confident = [(sid, p) for sid, _, p in predictions if p.confidence >= 0.9]
    assert len(confident) > len(predictions) / 2
    assert sum(p.scenario == sid for sid, p in confident) / len(confident) >= 0.97


# ---- text as merchants really write it -------------------------------------------
def test_realistic_top1_accuracy(realistic_figures):
    """Floor 88 %: the measured figure is 92.5 %; retraining on a few more examples moves it by about
    a point. Below 88 % one description in eight would open the wrong case — a merchant notices."""
    misses = "\n".join(f"{s} → {p} {c:.2f}: {t[:80]}" for s, p, c, t in realistic_figures.misses)
    assert realistic_figures.top1 >= 0.88, misses
    assert realistic_figures.top3 >= 0.97


def test_realistic_every_scenario_is_mostly_recognised(engine):
    per, totals = Counter(), Counter()
    for item in REALISTIC:
        totals[item.scenario] += 1
        per[item.scenario] += engine.classifier.predict(item.text).scenario in (item.scenario, *item.also)
    weak = {sid: f"{per[sid]}/{totals[sid]}" for sid in totals if per[sid] / totals[sid] < 0.75}
    assert weak == {}


def test_out_of_scope_realistic_text_is_never_forced_into_a_case(engine, realistic_figures):
    """No out-of-scope text may be drafted for: either `unknown`, or a guess below the ask threshold."""
    ask = engine.classifier.settings.min_confidence
    forced = [(item.text, p) for item in REALISTIC if item.scenario == UNKNOWN
              for p in [engine.classifier.predict(item.text)] if p.scenario != UNKNOWN and p.confidence >= ask]
    assert forced == []
    assert realistic_figures.unknown_forced == 0


def test_confident_wrong_answers_are_rare(realistic_figures):
    """Wrong answers given with confidence >= 0.8 (the bot drafts without asking): at most 3 % of all
    answers (measured 2.2 %, 8 of 362) and at most a third of the wrong ones (measured 30 %, 8 of 27;
    four of the eight name one of a multi-problem text's other labelled problems)."""
    fig = realistic_figures
    assert fig.confident_wrong / fig.total <= 0.03
    assert fig.confident_error_share <= 1 / 3
    assert fig.confident_wrong_any / fig.total <= 0.02


def test_realistic_confidence_is_calibrated(realistic_figures):
    assert realistic_figures.ece < 0.08


def test_several_problems_are_recognised(engine, realistic_figures):
    """A text with several problems names them (answer + `also`) in most cases; a single-problem
    text rarely gets a spurious `also` (it is only an offer: a button to handle it too)."""
    fig = realistic_figures
    assert fig.also_found / fig.also_total >= 0.5
    assert fig.also_spurious / (fig.total - fig.also_total) <= 0.12
    prediction = engine.classifier.predict("退回来少了一件，而且外包装也压坏了，杯子碎了一个")
    assert {prediction.scenario, *prediction.also} == {"missing_items", "damaged_in_transit"}
    assert prediction.confidence <= engine.classifier.settings.several_max_confidence


def test_negobot_is_ahead_of_a_scikit_learn_peer(engine, realistic_figures, short_figures, figures):
    """The peer of benchmarks/classifier_peer.py (char n-gram TF-IDF + LinearSVC on the same
    examples); needs the bench extra, so it is skipped without scikit-learn."""
    pytest.importorskip("sklearn")
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("classifier_peer", Path(__file__).parents[2] / "benchmarks" / "classifier_peer.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    peer = module.Peer(engine.catalogue.examples)
    peer_fig, peer_short = measure(REALISTIC, peer.predict), measure(SHORT, peer.predict)
    figures["scikit-learn peer top-1 (realistic / short held-out)"] = f"{peer_fig.top1:.1%} / {peer_short.top1:.1%}"
    assert realistic_figures.top1 > peer_fig.top1
    assert short_figures.top1 >= peer_short.top1


# ---- behaviour -----------------------------------------------------------------
def test_out_of_scope_is_unknown_not_a_forced_guess(engine):
    for text in ["今天天气怎么样", "How do I list a new product?", "直播间怎么挂小黄车", "asdfghjkl", "？？？", "😀😀😀"]:
        prediction = engine.classifier.predict(text)
        assert prediction.scenario == UNKNOWN, (text, prediction)


def test_outgoing_shipments_and_unpaid_orders_are_out_of_scope(engine):
    for text in ["我发给买家的货物流三天没动了，买家在催", "买家下单后一直没付款", "My outbound parcel to a customer is stuck"]:
        prediction = engine.classifier.predict(text)
        assert prediction.scenario == UNKNOWN or prediction.confidence < engine.classifier.settings.min_confidence, (text, prediction)


def test_alternatives_are_three_distinct_other_scenarios(engine):
    prediction = engine.classifier.predict("退回来的鞋子少了一只")
    alternatives = [sid for sid, _ in prediction.alternatives]
    assert len(alternatives) == 3 and prediction.scenario not in alternatives and len(set(alternatives)) == 3
    confidences = [prediction.confidence] + [c for _, c in prediction.alternatives]
    assert confidences == sorted(confidences, reverse=True) and sum(confidences) <= 1.0001


def test_confidence_stays_between_0_and_1(engine):
    for item in REALISTIC[::5] + SHORT[::5]:
        prediction = engine.classifier.predict(item.text)
        assert 0.0 <= prediction.confidence <= 1.0
        assert all(0.0 <= c <= prediction.confidence for _, c in prediction.alternatives)
        assert prediction.scenario not in prediction.also and UNKNOWN not in prediction.also


def test_traditional_and_simplified_wording_agree(engine):
    simplified = engine.classifier.predict("买家寄错地址了，收件人写成了别人")
    traditional = engine.classifier.predict("買家寄錯地址了，收件人寫成了別人")
    assert simplified.scenario == traditional.scenario == "wrong_return_address"
    assert simplified.confidence == pytest.approx(traditional.confidence)


def test_training_is_deterministic(engine):
    again = ScenarioClassifier(engine.catalogue)
    for item in (SHORT + REALISTIC)[::7]:
        assert again.predict(item.text) == engine.classifier.predict(item.text)


def test_confident_threshold_matches_the_report():
    assert CONFIDENT == 0.8


def test_alternatives_are_given_to_the_same_four_places_as_the_answer(engine):
    """`negobot classify --json` shows them side by side: an alternative read before rounding once
    came out as 0.6766107… beside an answer of 0.6766 — above it."""
    for item in REALISTIC + SHORT:
        prediction = engine.classifier.predict(item.text)
        assert all(c == round(c, 4) for _, c in prediction.alternatives), (item.text, prediction)


_ASIDE = "顺便问一下，你们店铺的运费模板怎么设置的？包邮的话偏远地区要不要加钱？我新开店很多都不懂"


@pytest.mark.parametrize("problem, scenario", [
    ("买家退货单号填错了。", "tracking_number_invalid"),
    ("退回来的东西被压坏了，快递的责任。", "damaged_in_transit"),
    ("买家把退货寄错地址了。", "wrong_return_address"),
])
def test_a_problem_told_before_an_unrelated_question_is_still_the_case(engine, problem, scenario):
    """Merchants tell the case, then ask about something else; the question must not hide the case.
    The answer is not confident (the message as a whole reads otherwise), so the card says so."""
    prediction = engine.classifier.predict(problem + _ASIDE)
    assert prediction.scenario == scenario and 0.45 <= prediction.confidence <= 0.75
    assert engine.classifier.predict(_ASIDE).scenario == "unknown"         # the question alone is out of scope
