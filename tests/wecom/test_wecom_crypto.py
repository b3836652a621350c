"""The callback crypto — negobot's (wechatpy) and the stand-in's (written from the spec) — against
the sample values Tencent publishes with WXBizMsgCrypt, and against each other."""

from __future__ import annotations

import time

import pytest

import wecom_standin as standin
from bot.wecom.protocol import CallbackCrypto, Rejected

# Tencent's WXBizMsgCrypt sample (weworkapi callback Sample.py): settings, a URL check, a message.
SAMPLE_TOKEN = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo"
SAMPLE_AES_KEY = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt"
SAMPLE_CORP_ID = "ww1436e0e65a779aee"
VERIFY = {"msg_signature": "012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb", "timestamp": "1476416373",
          "nonce": "47744683",
          "echostr": "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA=="}
MESSAGE_QUERY = {"msg_signature": "0c3914025cb4b4d68103f6bfc8db550f79dcf48e", "timestamp": "1476422779",
                 "nonce": "1597212914"}
MESSAGE_ENCRYPTED = ("Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNsh"
                     "w2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh"
                     "010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iEL"
                     "cDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+")
MESSAGE_BODY = (f"<xml><ToUserName><![CDATA[{SAMPLE_CORP_ID}]]></ToUserName>\n<Encrypt><![CDATA[{MESSAGE_ENCRYPTED}]]>"
                "</Encrypt>\n<AgentID><![CDATA[1000002]]></AgentID>\n</xml>").encode()
SAMPLE_PLAIN = ("<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName>"
                "<CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content>"
                "<MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>")


def sample_crypto(at: str = MESSAGE_QUERY["timestamp"]) -> CallbackCrypto:
    # the samples are from 2016: a clock set to then
    return CallbackCrypto(SAMPLE_TOKEN, SAMPLE_AES_KEY, SAMPLE_CORP_ID, 1000002, clock=lambda: int(at))


def test_the_standin_reproduces_the_official_samples():
    assert standin.signature(SAMPLE_TOKEN, VERIFY["timestamp"], VERIFY["nonce"], VERIFY["echostr"]) == VERIFY["msg_signature"]
    assert standin.signature(SAMPLE_TOKEN, MESSAGE_QUERY["timestamp"], MESSAGE_QUERY["nonce"],
                             MESSAGE_ENCRYPTED) == MESSAGE_QUERY["msg_signature"]
    assert standin.decrypt(SAMPLE_AES_KEY, VERIFY["echostr"]) == ("1288432023552776189", SAMPLE_CORP_ID)
    assert standin.decrypt(SAMPLE_AES_KEY, MESSAGE_ENCRYPTED) == (SAMPLE_PLAIN, SAMPLE_CORP_ID)


def test_negobot_reads_the_official_samples():
    assert sample_crypto(VERIFY["timestamp"]).verify_url(VERIFY) == "1288432023552776189"
    incoming = sample_crypto().decrypt(MESSAGE_QUERY, MESSAGE_BODY)
    assert (incoming.user, incoming.kind, incoming.text, incoming.dedupe_key) == ("ChenJiaShun", "text", "你好", "msg:1456453720")


def test_what_the_standin_encrypts_negobot_decrypts_byte_for_byte():
    sender = standin.StandinWecom(token=SAMPLE_TOKEN, aes_key=SAMPLE_AES_KEY, corp_id=SAMPLE_CORP_ID)
    crypto = CallbackCrypto(SAMPLE_TOKEN, SAMPLE_AES_KEY, SAMPLE_CORP_ID, 1000002)
    content = "买家退货单号SF1409823356721填错了 ]]> <b>&amp; " + "长" * 700
    encrypted = standin.encrypt(SAMPLE_AES_KEY, SAMPLE_CORP_ID, sender.message_xml("zhang.san@x", content, 42))
    incoming = crypto.decrypt(sender.signed_query(encrypted), sender.envelope(encrypted))
    assert incoming.text == content and incoming.user == "zhang.san@x"
    # and a fixed random prefix gives the ciphertext the spec's layout dictates: 16 + 4 + len + corp id, padded to 32
    fixed = standin.encrypt(SAMPLE_AES_KEY, SAMPLE_CORP_ID, "hello", random16=b"0123456789abcdef")
    assert len(__import__("base64").b64decode(fixed)) == 64       # 16 + 4 + 5 + 18 = 43 → padded to 64


@pytest.mark.parametrize("change, status", [
    (lambda q, b: ({**q, "msg_signature": "0" * 40}, b), 403),                         # forged signature
    (lambda q, b: ({**q, "nonce": "1"}, b), 403),                                      # signature for other values
    (lambda q, b: ({k: v for k, v in q.items() if k != "timestamp"}, b), 400),         # parameter missing
    (lambda q, b: (q, b"<xml><Encrypt>AAAA</Encrypt>"), 400),                          # not XML
    (lambda q, b: (q, b"\xff\xfe not utf-8"), 400),
    (lambda q, b: (q, b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]><xml><Encrypt>&a;</Encrypt></xml>"), 400),   # entities refused
])
def test_forged_or_garbled_requests_are_rejected(change, status):
    query, body = change(MESSAGE_QUERY, MESSAGE_BODY)
    with pytest.raises(Rejected) as caught:
        sample_crypto().decrypt(query, body)
    assert caught.value.status == status


def test_a_body_that_is_signed_but_does_not_decrypt_is_rejected():
    garbage = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3"
    sender = standin.StandinWecom(token=SAMPLE_TOKEN, aes_key=SAMPLE_AES_KEY, corp_id=SAMPLE_CORP_ID)
    crypto = CallbackCrypto(SAMPLE_TOKEN, SAMPLE_AES_KEY, SAMPLE_CORP_ID, 1000002)
    with pytest.raises(Rejected) as caught:
        crypto.decrypt(sender.signed_query(garbage), sender.envelope(garbage))
    assert caught.value.status == 400
    other_corp = standin.encrypt(SAMPLE_AES_KEY, "wwSomeoneElse", sender.message_xml("a", "hi", 1))
    with pytest.raises(Rejected):                   # encrypted for another CorpID
        crypto.decrypt(sender.signed_query(other_corp), sender.envelope(other_corp))


def test_a_replayed_request_outside_the_timestamp_window_is_rejected():
    with pytest.raises(Rejected) as caught:
        CallbackCrypto(SAMPLE_TOKEN, SAMPLE_AES_KEY, SAMPLE_CORP_ID, 1000002).decrypt(MESSAGE_QUERY, MESSAGE_BODY)
    assert caught.value.status == 403 and "timestamp" in str(caught.value)
    assert time.time() - int(MESSAGE_QUERY["timestamp"]) > 300
