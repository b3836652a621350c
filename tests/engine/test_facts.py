"""Facts beyond the slots, read from descriptions written apart from the fact rules.

tests/data/facts_cases.yaml (120 descriptions) and tests/data/facts_heldout.yaml (80) were written
blind of bot/data/facts.yaml by two separate authors. The first one's misses were used to widen the
cue lists; the second one was never read while writing them — its figures are the honest ones.
Precision matters most: a fact read wrongly puts words in the merchant's mouth.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.engine.facts import Facts, default_fact_extractor

DATA = Path(__file__).parent.parent / "data"
FACTS = ("item", "conditions", "received_instead", "accessory", "fault", "goods", "evidence", "stall_days")
# Floors on the held-out set: precision (is what we read right?) and recall (do we read it at all?).
HELDOUT_PRECISION = 0.8
HELDOUT_RECALL = {"item": 0.85, "conditions": 0.65, "accessory": 0.8, "fault": 0.65, "goods": 0.55, "stall_days": 0.5,
                  "received_instead": 0.7, "evidence": 0.3}


def _scores(cases: list[dict]) -> dict[str, tuple[float, float]]:
    extractor = default_fact_extractor()
    counts = {fact: [0, 0, 0] for fact in FACTS}      # right, read but wrong or unsaid, said but missed
    for case in cases:
        got, said = extractor.extract(case["text"]).as_dict(), case.get("facts") or {}
        for fact in FACTS:
            if fact in ("conditions", "evidence"):
                g, e = set(got.get(fact, [])), set(said.get(fact, []))
                counts[fact][0] += len(g & e)
                counts[fact][1] += len(g - e)
                counts[fact][2] += len(e - g)
            else:
                g, e = got.get(fact), said.get(fact)
                if g is not None and g == e:
                    counts[fact][0] += 1
                else:
                    counts[fact][1] += g is not None
                    counts[fact][2] += e is not None
    return {fact: (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)
            for fact, (tp, fp, fn) in counts.items()}


def _load(name: str) -> list[dict]:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["cases"]


def test_facts_on_the_held_out_set(figures):
    scores = _scores(_load("facts_heldout.yaml"))
    figures["facts, held-out (80): precision/recall"] = ", ".join(f"{f} {p:.2f}/{r:.2f}" for f, (p, r) in scores.items())
    for fact, (precision, recall) in scores.items():
        assert precision >= HELDOUT_PRECISION, f"{fact}: precision {precision:.2f}"
        assert recall >= HELDOUT_RECALL[fact], f"{fact}: recall {recall:.2f}"


def test_facts_on_the_first_blind_set(figures):
    scores = _scores(_load("facts_cases.yaml"))
    figures["facts, first blind set (120, cues widened from its misses): precision/recall"] = \
        ", ".join(f"{f} {p:.2f}/{r:.2f}" for f, (p, r) in scores.items())
    assert all(p >= 0.9 and r >= 0.85 for p, r in scores.values()), scores


# The issue's own examples, and the traps a merchant would notice at once.
@pytest.mark.parametrize("text, expected", [
    ("订单3件只退回来2件，买家漏寄了1件", {"fault": "buyer"}),
    ("羽绒服有穿过的痕迹，吊牌也剪了", {"item": "down_jacket", "conditions": ("worn", "tag_cut")}),
    ("买家说衣服开线要退货，我们看照片觉得是人为拉扯的", {"item": "clothes", "conditions": ("seam_open",), "fault": "disputed"}),
    ("退货寄到我们以前的旧仓库了", {"fault": "shop"}),
    ("退货物流五天没更新了", {"stall_days": 5, "stall_long": False}),
    ("快递把杯子压碎了，我们有开箱视频", {"item": "cup", "conditions": ("shattered",), "fault": "carrier", "evidence": ("video",)}),
    ("寄回来的是别人的旧鞋", {"item": "shoes", "received_instead": "other_goods"}),
    ("買家寄回來的是兩塊磚頭", {"received_instead": "bricks"}),
    ("退回來的羽絨服吊牌剪了，沒有開箱影片", {"conditions": ("tag_cut",), "evidence": ()}),
    ("The courier crushed the vase on the way back, we have an unboxing video", {"item": "vase", "fault": "carrier", "evidence": ("video",)}),
    ("Not sure if the courier or the buyer cracked the monitor", {"item": "monitor", "fault": "unsure"}),
    ("买家发了开箱视频，说收到就是坏的", {"evidence": ()}),
    ("快递说之后会开证明给我们", {"evidence": ()}),
    ("赠品是一个保温杯，买家没寄回来", {"accessory": "gift", "accessory_word": "保温杯", "item": None}),
    ("收件人手机号填错了", {"item": None}),
    ("物流半个月没动了", {"stall_long": True}),
    # The carrier's fault guessed at or asked about is not stated; asking what to do after stating it is.
    ("客人退回來的玻璃杯破了兩個，應該是物流摔的吧？這要找誰賠", {"fault": "unsure"}),
    ("return arrived crushed, carrier's fault?", {"fault": "unsure"}),
    ("退货被快递压坏了吗？", {"fault": "unsure"}),
    ("物流把杯子摔碎了，我要找快递赔吗？", {"fault": "carrier"}),
    ("快递把退货压坏了，怎么办？", {"fault": "carrier"}),
    # Whether the goods are back, negations read as a merchant means them.
    ("平台倒數剩不到一天，我根本還沒拿到貨", {"goods": "not_back"}),
    ("快递柜里的退货我还没去拿", {"goods": "delivered"}),
    ("The return is in transit. I haven't received or inspected anything.", {"goods": "not_back"}),
    ("Return shows as delivered in the system, nobody has looked at it", {"goods": "delivered"}),
    ("We didn't take photos of the unboxing", {"evidence": ()}),
    # Not knowing who signed for a parcel is not doubt about whose fault it is; the merchant's own
    # word that the buyer sent it wrong is kept (no admission put in their mouth).
    ("买家退货寄错地址了，寄到我们去年那个老仓库去了，东西现在也不知道谁签收的", {"fault": "buyer"}),
    ("不知道是快递还是买家弄坏的", {"fault": "unsure"}),
    ("退回來的陶瓷杯破了兩個，外箱完全沒有撞到的痕跡，感覺是客人自己用壞的", {"fault": "disputed"}),
    ("快递显示签收了 但签收的是买家以前的旧地址 他现在说没收到要退款", {"fault": None}),
    ("退货寄到我们以前的旧仓库了", {"fault": "shop"}),
    # Parts a merchant names as missing, in their own words.
    ("相机退回来少了镜头盖", {"accessory": "lens_cap"}),
    ("智能手表退回来没有表带", {"accessory": "strap"}),
    ("客人寄回來的平板少了豆腐頭", {"accessory": "charger"}),
    ("退货包裹拆开只有个耳机盒子，充电仓和数据线都没了", {"accessories": ("charging_case", "cable")}),
    # An amount the buyer already turned down; doubts the merchant voices without saying "we think".
    ("客户说裙子起球质量差，我让她拍照她发了张糊的看不清，已经给她优惠10块了她还是要退货退款",
     {"offer_refused": True, "fault": "unsure"}),
    ("客人說保溫瓶有怪味道要退貨，我說可以折100塊，她還是堅持要退，可是同一批出貨都沒人反應",
     {"offer_refused": True, "fault": "disputed"}),
    ("The zipper broke, she says, but it looks like it was yanked hard. We offered 50% and she refused.",
     {"offer_refused": True, "fault": "disputed"}),
    ("衣服吊牌剪了，给她退一半她同意了", {"offer_refused": False}),
    ("后台显示还剩2天就要自动确认收货退款了", {"deadline_near": True}),
    ("refund auto-approves tomorrow", {"deadline_near": True}),
    ("退货物流半个月没动了", {"deadline_near": False}),
    ("快递显示签收了 但签收的是买家以前的旧地址 他现在说没收到要退款", {"order_not_received": True}),
    ("买家说没收到退款", {"order_not_received": False}),
    ("Buyer returned it but says she never got the refund", {"order_not_received": False}),
    ("Got a return for a desk lamp and the base is cracked", {"item": "lamp"}),
    ("客人說保溫瓶有怪味道要退貨", {"return_named": True}),
    ("他现在说没收到要退款", {"return_named": False, "order_not_received": True}),
    # The refund has already gone out — and the many ways of saying it is still to come or only asked for.
    ("钱已经退给买家了，结果退回来的包裹里少了一个充电器", {"refund_paid": True}),
    ("平台已经自动退款了，但是退回来的是一双穿过的鞋", {"refund_paid": True, "deadline_near": False}),
    ("已經退款給買家了，退回來少了一條圍巾", {"refund_paid": True}),
    ("款已经退了，东西还没寄回来", {"refund_paid": True}),
    ("I already refunded her in full and then the box turned out to be empty", {"refund_paid": True}),
    ("The platform auto-refunded the buyer before the parcel arrived", {"refund_paid": True}),
    ("明天就自动退款了", {"refund_paid": False, "deadline_near": True}),
    ("买家申请退款了，退回来少了一件", {"refund_paid": False}),
    ("买家已经退款了，退回来少一件", {"refund_paid": False}),     # often: the buyer has applied
    ("还没退款，退回来少了一件", {"refund_paid": False}),
    ("验货后再退款", {"refund_paid": False}),
    ("refund hasn't gone out yet, the box came back short", {"refund_paid": False}),
])
def test_facts_the_merchant_stated(text, expected):
    facts = default_fact_extractor().extract(text)
    for name, value in expected.items():
        assert getattr(facts, name) == value, f"{text}: {name} is {getattr(facts, name)!r}"


def test_facts_round_trip_through_the_store_format():
    facts = default_fact_extractor().extract("快递把杯子压碎了，我们有开箱视频，仓库今天下午验货")
    assert Facts.from_dict(facts.as_dict()) == facts
    assert "stall_days" not in facts.as_dict()          # absent facts stay absent


def test_a_burn_hole_is_not_a_burnt_smell():
    extract = default_fact_extractor().extract
    assert extract("买家退回的羽绒服袖口有个烧焦的小洞").conditions == ("burn_hole",)
    assert extract("电吹风用了有烧焦味").conditions == ("burnt_smell",)


def _refund_state(name: str) -> tuple[int, int, int, int]:
    """(paid read, paid in all, unpaid read as paid, unpaid in all)."""
    extractor = default_fact_extractor()
    cases = _load(name)
    read = [(case["paid"], extractor.extract(case["text"]).refund_paid) for case in cases]
    return (sum(p and r for p, r in read), sum(p for p, _r in read),
            sum(r and not p for p, r in read), sum(not p for p, _r in read))


def test_refund_already_paid_on_the_held_out_set(figures):
    """Reading "unpaid" as paid would drop the platform's negotiation from a case that still has it, so
    it must stay rare; a paid refund missed is corrected by the card's "Refund already paid" button."""
    hit, paid, wrong, unpaid = _refund_state("refund_state_heldout.yaml")
    figures["refund already paid, held-out (40)"] = f"read {hit} of {paid} paid; {wrong} of {unpaid} unpaid read as paid"
    assert wrong <= 1 and hit >= 0.5 * paid, (hit, paid, wrong, unpaid)


def test_refund_already_paid_on_the_sets_the_cues_came_from(figures):
    hit, paid, wrong, unpaid = _refund_state("refund_state.yaml")
    figures["refund already paid, the four sets the cues were widened from (108)"] = \
        f"read {hit} of {paid} paid; {wrong} of {unpaid} unpaid read as paid"
    assert hit == paid and wrong <= 1, (hit, paid, wrong, unpaid)
