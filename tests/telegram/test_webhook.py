"""`negobot run --webhook-url …`: Telegram POSTs updates to the bot, which answers through the Bot API."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from fake_bot_api import TOKEN

pytest.importorskip("tornado", reason="webhook mode needs python-telegram-bot[webhooks] (tornado)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def _post(url: str, update: dict, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, data=json.dumps(update).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _update(update_id: int, chat_id: int, text: str) -> dict:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": int(time.time()), "text": text,
        "chat": {"id": chat_id, "type": "private"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "M", "language_code": "zh-hans"}}}


def test_webhook_mode_receives_updates_checks_the_secret_and_stops_cleanly(api, tmp_path):
    port = _free_port()
    hook = f"http://127.0.0.1:{port}/hook"
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": api.base_url,
           "NEGOBOT_DB": str(tmp_path / "negobot.sqlite3"), "TELEGRAM_WEBHOOK_SECRET": "s3cret-token"}
    proc = subprocess.Popen([sys.executable, "-m", "bot", "run", "--webhook-url", hook, "--listen", "127.0.0.1",
                             "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait(lambda: api.calls_to("setWebhook") or proc.poll() is not None)
        assert proc.poll() is None, proc.stderr.read()
        registered = api.calls_to("setWebhook")[0].params
        assert registered["url"] == hook and registered["secret_token"] == "s3cret-token"

        assert _post(hook, _update(1, 5001, "退回来少了一件"), secret="wrong") == 403
        assert _post(hook, _update(2, 5001, "买家退货单号SF1409823356721填错了"), secret="s3cret-token") == 200
        _wait(lambda: any("SF1409823356721" in c.params.get("text", "") for c in api.calls_to("sendMessage", 5001)))
        texts = [c.params["text"] for c in api.calls_to("sendMessage", 5001)]
        assert not any("少了" in t for t in texts)          # the update with the wrong secret was not handled
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert proc.returncode == 0
    assert "Traceback" not in proc.stderr.read()
