"""`negobot run` start-up failures: one clear line on stderr, exit status 1, no traceback."""

from __future__ import annotations

import socket

import pytest

from fake_bot_api import TOKEN

GOOD_FORMAT_WRONG = "987654321:ZZZZ-wrong-token-but-well-formed_000000"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CASES = {
    "no token": ({}, [], "no bot token: set TELEGRAM_BOT_TOKEN or pass --token"),
    "malformed": ({"TELEGRAM_BOT_TOKEN": "12345:short"}, [], "the bot token is malformed"),
    "bad base url": ({"TELEGRAM_BOT_TOKEN": TOKEN}, ["--base-url", "ftp://example"], "is not an http(s) URL"),
    "refused": ({"TELEGRAM_BOT_TOKEN": GOOD_FORMAT_WRONG}, [], "Telegram refused the bot token"),
    "unreachable": ({"TELEGRAM_BOT_TOKEN": TOKEN}, ["--base-url", "CLOSED"], "cannot reach the Bot API at http://127.0.0.1:"),
    "corrupt db": ({"TELEGRAM_BOT_TOKEN": TOKEN}, ["--db", "CORRUPT"],
                   "is not a negobot database (not an SQLite file); it was left untouched"),
}


@pytest.mark.parametrize("case", CASES)
def test_every_startup_failure_is_one_clear_line(case, api, tmp_path, monkeypatch, capsys):
    from bot.cli import main

    env, argv, expected = CASES[case]
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_BASE_URL", "TELEGRAM_WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TELEGRAM_BASE_URL", api.base_url)
    monkeypatch.setenv("NEGOBOT_DB", str(tmp_path / "negobot.sqlite3"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"not a database at all\n" * 50)
    argv = [{"CLOSED": f"http://127.0.0.1:{_closed_port()}", "CORRUPT": str(corrupt)}.get(a, a) for a in argv]

    assert main(["run", *argv]) == 1
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("negobot: ") and expected in lines[0], err
    assert "Traceback" not in out + err
    assert corrupt.read_bytes() == b"not a database at all\n" * 50
    assert not api.calls_to("sendMessage")
