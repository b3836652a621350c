"""Slot extraction: what the merchant wrote comes out, nothing else."""

import pytest


@pytest.mark.parametrize(
    "text, expected",
    [
        ("买家退货单号SF1409823356721填错了", {"tracking_number": "SF1409823356721", "carrier": "sf"}),
        ("单号 sf 2234 5678 9012 3 查不到", {"tracking_number": "SF2234567890123", "carrier": "sf"}),
        ("圆通YT1234567890123一直不动", {"tracking_number": "YT1234567890123", "carrier": "yto"}),
        ("退貨單號JT0012345678901查無此單", {"tracking_number": "JT0012345678901", "carrier": "jt"}),
        ("京东单号JDVC01234567890显示取消", {"tracking_number": "JDVC01234567890", "carrier": "jd"}),
        ("德邦DPK123456789012破损", {"tracking_number": "DPK123456789012", "carrier": "deppon"}),
        ("单号73123456789012不对", {"tracking_number": "73123456789012", "carrier": "zto"}),
        ("buyer's return via ZTO, tracking 75310928477362, shows someone else's parcel",
         {"tracking_number": "75310928477362", "carrier": "zto"}),
    ],
)
def test_tracking_number_and_carrier(engine, text, expected):
    slots = engine.slots.extract(text)
    assert {k: slots.get(k) for k in expected} == expected


@pytest.mark.parametrize(
    "text, number, carrier",
    [
        ("tracking for the return YT1234567890123 hasn't moved for 10 days", "YT1234567890123", "yto"),
        ("the tracking number is SF 1409 8233 5672 1 and it shows nothing", "SF1409823356721", "sf"),
        ("Return waybill JT0012345678901 was crushed", "JT0012345678901", "jt"),
        ("tracking no. ABC12345678 not found", "ABC12345678", None),
    ],
)
def test_words_around_a_number_are_not_part_of_it(engine, text, number, carrier):
    slots = engine.slots.extract(text)
    assert slots["tracking_number"] == number
    assert slots.get("carrier") == carrier


def test_full_width_and_traditional_input_give_the_same_number(engine):
    slots = engine.slots.extract("買家用順豐寄回，單號ＳＦ１４０９８２３３５６７２１")
    assert slots["tracking_number"] == "SF1409823356721"
    assert slots["carrier"] == "sf"


def test_named_carrier_wins_over_number_pattern(engine):
    # an all-digit number that the EMS rule matches, but the merchant says it went by 韵达
    slots = engine.slots.extract("买家说用韵达寄的，单号9876543210123")
    assert slots["carrier"] == "yunda"
    assert slots["tracking_number"] == "9876543210123"


def test_ambiguous_digits_name_no_carrier(engine):
    # 43 + 13 digits matches both STO and Yunda: a candidate number, but no carrier is guessed
    slots = engine.slots.extract("退货单号430123456789012查不到")
    assert slots["tracking_number"] == "430123456789012"
    assert "carrier" not in slots


def test_phone_and_order_numbers_are_not_tracking_numbers(engine):
    slots = engine.slots.extract("买家电话13812345678，订单号3719912345678901234，退回来少了一件")
    assert "tracking_number" not in slots
    assert slots["order_id"] == "3719912345678901234"
    assert slots["quantity"] == 1


def test_long_unlabelled_digit_string_is_the_order(engine):
    slots = engine.slots.extract("3719912345678901234 这单买家寄错地址了，单号SF1409823356721")
    assert slots["order_id"] == "3719912345678901234"
    assert slots["tracking_number"] == "SF1409823356721"


@pytest.mark.parametrize(
    "text, amount",
    [
        ("扣¥9.9给买家", 9.9),
        ("退款改成66.00元吧", 66.0),
        ("想跟买家商量少退30块", 30.0),
        ("衣服洗过了，打算扣二十块", 20.0),
        ("partial refund of RMB 45.5 instead", 45.5),
        ("货款199元，商量扣20元", 20.0),
        ("订单少了一件，想退￥1,234.50 给他", 1234.5),
    ],
)
def test_amount_in_yuan(engine, text, amount):
    assert engine.slots.extract(text)["amount"] == pytest.approx(amount)


@pytest.mark.parametrize(
    "text, quantity",
    [
        ("退回来少了两双", 2),
        ("买了4件只退回1件", 3),
        ("申请退3件，结果只收到2件", 1),
        ("少寄了一件外套", 1),
        ("还有十二个没寄回", 12),
        ("买家漏寄了两个配件", 2),
        ("two of the socks are missing from the return", 2),
        ("only 1 of the 3 mugs came back", 2),
        ("退回来只有2件 买家申请的是3件卫衣", 1),            # what came back first, then what was applied for
        ("收到了1个 申请退款的是2个杯子", 1),
    ],
)
def test_quantity(engine, text, quantity):
    assert engine.slots.extract(text)["quantity"] == quantity


@pytest.mark.parametrize(
    "text",
    ["买家说衣服洗过了", "hello there", "瓶子摔碎漏了一箱", "快递把退货压坏了", "", "1234", "电话13812345678",
     "退回来3件 买家申请退3件"],
)
def test_absent_slots_are_absent_not_guessed(engine, text):
    assert engine.slots.extract(text) == {}


@pytest.mark.parametrize("text, amount", [
    ("想部分退款退200", 200.0), ("退款改成66", 66.0), ("退回来的衣服洗过了，想退款80", 80.0),
    ("退了3天还没到", None), ("退4件只到了3件", None), ("买家退货单号7512345678901查不到", None),
])
def test_a_bare_figure_after_a_refund_verb_is_the_amount(engine, text, amount):
    assert engine.slots.extract(text).get("amount") == amount


@pytest.mark.parametrize("text, amount", [
    ("拆开退货包裹里面是两块砖头", None), ("一块肥皂没寄回来", None), ("想扣20块", 20.0), ("退30块吧", 30.0), ("扣5块钱", 5.0),
    ("退回來的保溫杯凹了一塊，我們懷疑是客人自己摔的", None), ("锅底缺了一块。", None), ("碗边磕掉两块，买家不认", None),
    ("补偿买家五块，可以吗", 5.0), ("少了一块钱", 1.0),
])
def test_kuai_is_money_only_when_it_ends_the_figure(engine, text, amount):
    assert engine.slots.extract(text).get("amount") == amount


@pytest.mark.parametrize("text, slots", [
    ("退回来那个花瓶碎成三块了，箱子外面压的扁扁的", {}),                                   # pieces of the vase, not ¥3
    ("花瓶碎成两块了，退款50块", {"amount": 50.0}),
    # right after the order number, with no refund word: the order's price, not a refund to propose
    ("吊牌剪了，订单号3729104857362819，229块，这种能拒吗", {"value": 229.0, "order_id": "3729104857362819"}),
    ("订单号3729104857362819，退款50块", {"amount": 50.0, "order_id": "3729104857362819"}),
    # the price of the item, named before it; and what the buyer applied for in full
    ("一件599元的羽绒服吊牌被剪了", {"value": 599.0}),
    ("￥1,234.50 的订单少了一件", {"value": 1234.5, "quantity": 1}),
    ("只退200元的话他同意吗", {"amount": 200.0}),
    ("扣50的运费", {"amount": 50.0}),
    ("申請全額退款人民幣399", {"value": 399.0}),
    ("she wants a full refund of 259 RMB", {"value": 259.0}),
])
def test_pieces_and_prices_are_not_refunds_to_propose(engine, text, slots):
    assert engine.slots.extract(text) == slots
