"""`negobot wecom` as a merchant's admin runs it: one clear line for every start-up problem, and the
real command serving WeCom's URL check and a description end to end."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys

import pytest

from wecom_standin import StandinWecom

DESCRIPTION = "买家退货单号SF1409823356721填错了"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(wecom: StandinWecom, tmp_path, **changes) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WECOM_", "NEGOBOT_"))}
    env.update({"WECOM_CORP_ID": wecom.corp_id, "WECOM_AGENT_ID": str(wecom.agent_id), "WECOM_SECRET": wecom.secret,
                "WECOM_TOKEN": wecom.token, "WECOM_AES_KEY": wecom.aes_key, "WECOM_API_BASE_URL": wecom.base_url,
                "NEGOBOT_DB": str(tmp_path / "negobot.sqlite3")})
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


async def _negobot(env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "wecom", *args, env=env,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)


CASES = {
    "nothing set": ({"WECOM_CORP_ID": None, "WECOM_AGENT_ID": None, "WECOM_SECRET": None, "WECOM_TOKEN": None,
                     "WECOM_AES_KEY": None}, [], "missing WeCom settings: WECOM_CORP_ID (--corp-id), WECOM_AGENT_ID"),
    "no aes key": ({"WECOM_AES_KEY": None}, [], "missing WeCom settings: WECOM_AES_KEY (--aes-key)"),
    "aes key 42 chars": ({"WECOM_AES_KEY": "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhU"}, [],
                         "WECOM_AES_KEY is malformed: the EncodingAESKey is exactly 43 letters and digits (got 42"),
    "aes key with symbols": ({}, ["--aes-key", "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToq+/="], "WECOM_AES_KEY is malformed"),
    "agent id not a number": ({"WECOM_AGENT_ID": "app-one"}, [], "WECOM_AGENT_ID must be the app's AgentId"),
    "token too long": ({"WECOM_TOKEN": "a" * 33}, [], "WECOM_TOKEN is malformed"),
    "api url": ({"WECOM_API_BASE_URL": "qyapi.weixin.qq.com"}, [], "is not an http(s) URL"),
    "refused secret": ({"WECOM_SECRET": "not-the-secret"}, [], "WeCom refused the Secret (errcode 40001)"),
    "refused corp id": ({"WECOM_CORP_ID": "wwsomeoneelse"}, [], "WeCom refused the CorpID (errcode 40013)"),
    "unreachable": ({}, ["--api-base-url", "CLOSED"], "cannot reach the WeCom API at http://127.0.0.1:"),
    "corrupt db": ({}, ["--db", "CORRUPT"], "is not a negobot database (not an SQLite file); it was left untouched"),
    "port taken": ({}, ["--port", "TAKEN"], "cannot listen on 127.0.0.1:"),
}


@pytest.mark.parametrize("case", CASES)
async def test_every_startup_problem_is_one_clear_line_and_exit_1(case, wecom, tmp_path):
    changes, argv, expected = CASES[case]
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"not a database at all\n" * 50)
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    argv = [{"CLOSED": f"http://127.0.0.1:{_free_port()}", "CORRUPT": str(corrupt),
             "TAKEN": str(taken.getsockname()[1])}.get(a, a) for a in argv]
    try:
        process = await _negobot(_env(wecom, tmp_path, **changes), *argv)
        out, err = await asyncio.wait_for(process.communicate(), 60)
    finally:
        taken.close()
    lines = err.decode().strip().splitlines()
    assert process.returncode == 1, err
    assert len(lines) == 1 and lines[0].startswith("negobot: ") and expected in lines[0], err
    assert b"Traceback" not in out + err
    assert corrupt.read_bytes() == b"not a database at all\n" * 50
    assert not wecom.delivered


async def test_the_real_command_passes_the_url_check_and_answers_a_description(wecom, tmp_path):
    port = _free_port()
    process = await _negobot(_env(wecom, tmp_path), "--port", str(port), "--path", "/cb/negobot")
    wecom.callback_url = f"http://127.0.0.1:{port}/cb/negobot"
    try:
        for _ in range(300):                     # up to 30 s for the engine to load and the port to open
            try:
                _reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                break
            except OSError:
                assert process.returncode is None, await process.stderr.read()
                await asyncio.sleep(0.1)
        status, body, echo = await wecom.verify_url()
        assert (status, body) == (200, echo)
        assert await wecom.send("zhangsan", DESCRIPTION) == [200]
        for _ in range(300):
            if len(wecom.inbox("zhangsan")) >= 3:
                break
            wecom.changed.clear()
            try:
                await asyncio.wait_for(wecom.changed.wait(), 0.1)
            except asyncio.TimeoutError:
                pass
        inbox = wecom.inbox("zhangsan")
        assert inbox[0].startswith("【退货物流单号有误") and any(m.startswith("亲") and "SF1409823356721" in m for m in inbox)
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, err
    assert b"Traceback" not in err
