"""The WeCom API client against the stand-in: token cache, refresh, pacing, retries without doubles."""

from __future__ import annotations

import asyncio

import pytest

from bot.wecom.api import WecomApi, WecomApiError, WecomUnreachable


def client(wecom, **kw) -> WecomApi:
    return WecomApi(wecom.base_url, wecom.corp_id, wecom.secret, wecom.agent_id, **{"backoff": 0.01, **kw})


async def test_one_token_serves_twenty_concurrent_sends(wecom):
    api = client(wecom)
    await asyncio.gather(*(api.send_text(f"m{i}", f"第{i}条") for i in range(20)))
    assert wecom.token_fetches == 1 and len(wecom.delivered) == 20
    await api.close()


async def test_an_expired_token_is_refreshed_once_not_in_a_loop(wecom):
    api = client(wecom)
    await api.send_text("a", "一")
    wecom.expire_tokens()
    await api.send_text("a", "二")
    assert wecom.token_fetches == 2 and wecom.inbox("a") == ["一", "二"]
    wecom.token_ttl = 0                      # every new token is born expired: refuse after one refresh
    wecom.expire_tokens()
    with pytest.raises(WecomApiError) as caught:
        await api.send_text("a", "三")
    assert caught.value.errcode == 42001 and wecom.token_fetches == 3
    await api.close()


async def test_a_refused_secret_or_corp_id_is_an_error_with_its_code(wecom):
    for api, code in ((WecomApi(wecom.base_url, wecom.corp_id, "wrong", 1), 40001),
                      (WecomApi(wecom.base_url, "wwnobody", wecom.secret, 1), 40013)):
        with pytest.raises(WecomApiError) as caught:
            await api.token()
        assert caught.value.errcode == code
        await api.close()


async def test_busy_answers_are_retried_and_permanent_errors_are_not(wecom):
    api = client(wecom)
    wecom.fail_next(3, errcode=-1)
    await api.send_text("b", "忙完再送")
    assert wecom.inbox("b") == ["忙完再送"] and api.stats["retries"] == 3
    with pytest.raises(WecomApiError) as caught:
        await api.send_text("b", "长" * 683)            # 2 049 bytes: WeCom would cut it; the stand-in refuses
    assert caught.value.errcode == 45002 and api.stats["retries"] == 3
    await api.close()


async def test_a_send_whose_answer_is_lost_is_retried_and_delivered_once(wecom):
    api = client(wecom, timeout=0.3)
    wecom.stall_next(2, 1.0)                 # delivered, but the answers arrive after negobot gave up
    await api.send_text("c", "只收到一次")
    assert wecom.inbox("c") == ["只收到一次"] and len(wecom.deduplicated) == 2
    await api.close()


async def test_the_same_text_asked_for_again_is_delivered_again(wecom):
    api = client(wecom)
    await api.send_text("d", "使用说明")
    await api.send_text("d", "使用说明")      # the merchant sent /help twice: both arrive
    assert wecom.inbox("d") == ["使用说明", "使用说明"] and not wecom.deduplicated
    await api.close()


async def test_messages_to_one_member_are_paced_under_the_limit_so_none_are_dropped(wecom):
    wecom.member_limit = (5, 0.5)            # a scaled-down "30 a minute"
    unpaced = client(wecom, per_member_limits=((10**6, 1.0),))
    for i in range(8):
        await unpaced.send_text("fast", f"#{i}")
    assert len(wecom.dropped) == 3           # what WeCom does to a sender that ignores the limit
    paced = client(wecom, per_member_limits=((5, 0.5),))
    for i in range(8):
        await paced.send_text("slow", f"#{i}")
    assert wecom.inbox("slow") == [f"#{i}" for i in range(8)] and len(wecom.dropped) == 3
    await unpaced.close()
    await paced.close()


async def test_an_unreachable_api_is_reported_after_the_retries():
    api = WecomApi("http://127.0.0.1:9", "ww1", "s", 1, backoff=0.01)
    with pytest.raises(WecomUnreachable, match="did not answer after 4 tries"):
        await api.token()
    await api.close()
