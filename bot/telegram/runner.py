"""`negobot run`: configuration, start-up checks, and the python-telegram-bot Application.

Every start-up failure a person can fix (no token, a malformed or refused token, an unreachable
Bot API, an unusable settings database, a webhook port that is taken) ends as one line on
stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from telegram import Bot, BotCommand, BotCommandScopeDefault
from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from bot.conversation.core import Conversation
from bot.conversation.sqlite_store import SqliteStore, StoreError, default_db_path
from bot.telegram.handlers import TelegramAdapter
from bot.telegram.request import requests
from bot.telegram.retry import RetryingRateLimiter

log = logging.getLogger("negobot.telegram")

DEFAULT_BASE_URL = "https://api.telegram.org"
TOKEN_PATTERN = re.compile(r"\d+:[A-Za-z0-9_-]{30,}")
MAX_RETRIES = 5
REMINDER_INTERVAL_SECONDS = 30.0   # how often due reminders are claimed and sent
# Telegram's command menus: a language_code per locale ("" = everyone else, who get Simplified Chinese).
_MENU_LANGUAGES = {"": "zh_CN", "zh": "zh_CN", "en": "en"}


class StartupError(Exception):
    """One line for the person starting the bot."""


def settings(args: argparse.Namespace) -> dict:
    token = (getattr(args, "token", None) or os.environ.get("TELEGRAM_BOT_TOKEN") or "").strip()
    if not token:
        raise StartupError("no bot token: set TELEGRAM_BOT_TOKEN or pass --token (from @BotFather)")
    if not TOKEN_PATTERN.fullmatch(token):
        raise StartupError("the bot token is malformed: expected digits, a colon and at least 30 letters, "
                           "digits, - or _ (like 123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11), as @BotFather gives it")
    given = (getattr(args, "base_url", None) or os.environ.get("TELEGRAM_BASE_URL") or DEFAULT_BASE_URL).strip()
    base_url, form = api_root(given)
    if urlsplit(base_url).scheme not in ("http", "https") or not urlsplit(base_url).netloc:
        raise StartupError(f"the Bot API base URL {given!r} is not an http(s) URL")
    db = getattr(args, "db", None) or os.environ.get("NEGOBOT_DB") or default_db_path()
    webhook_url = getattr(args, "webhook_url", None)
    if webhook_url and urlsplit(webhook_url).scheme not in ("http", "https"):
        raise StartupError(f"the webhook URL {webhook_url!r} is not an http(s) URL")
    return {
        "token": token, "base_url": base_url, "base_url_form": form, "db": Path(db).expanduser(), "webhook_url": webhook_url,
        "listen": getattr(args, "listen", None) or "127.0.0.1", "port": getattr(args, "port", None) or 8443,
        "secret_token": getattr(args, "secret_token", None) or os.environ.get("TELEGRAM_WEBHOOK_SECRET"),
    }


def api_root(url: str) -> tuple[str, str]:
    """The Bot API server's root for a base URL given either as that root (``https://api.telegram.org``,
    as the Bot API docs and a self-hosted telegram-bot-api print it) or in python-telegram-bot's own
    form with ``/bot`` on the end (``https://api.telegram.org/bot``, PTB's ``base_url``), and which
    form it was. A token pasted after ``/bot`` is dropped (the token comes from TELEGRAM_BOT_TOKEN)."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    path = parts.path
    match = re.search(r"/bot(\d+:[A-Za-z0-9_-]*)?$", path)
    if match:
        root = url[: len(url) - len(path)] + path[: match.start()]
        return root, "python-telegram-bot's …/bot form" + (" (the token after it ignored)" if match.group(1) else "")
    return url, "a Bot API server root"


def build_application(token: str, base_url: str, store, *, engine=None, rate_limiter: AIORateLimiter | None = None,
                      poll_timeout: float = 10.0, clock=time.time,
                      reminder_interval: float = REMINDER_INTERVAL_SECONDS) -> Application:
    """The whole bot: Application, handlers, error handler, command menus and the reminder job, over
    `store`. `clock` (epoch seconds) is what reminders are due by; tests move it."""
    if engine is None:
        from bot.engine.drafts import default_engine

        engine = default_engine()
    conversation = Conversation(engine, store, clock=clock)
    conversation.warm_up()
    # The engine's models, lexicons and compiled templates live as long as the process: collect the
    # start-up garbage once, then keep what is left out of every later collection. Otherwise each
    # full collection walks them all again — ~70 ms (on a busy 2-CPU machine) in the middle of some
    # merchant's answer, every couple of thousand updates.
    gc.collect()
    gc.freeze()
    request, get_updates_request = requests(poll_timeout)      # PTB's defaults, over aiohttp
    adapter = TelegramAdapter(conversation)
    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{base_url}/bot")
        .base_file_url(f"{base_url}/file/bot")
        .request(request)
        .get_updates_request(get_updates_request)
        .rate_limiter(rate_limiter or RetryingRateLimiter(max_retries=MAX_RETRIES))
        .concurrent_updates(True)
        .post_init(_set_commands)
        .post_stop(adapter.settled)            # what answered updates wrote is saved before the store closes
        .build()
    )
    app.bot_data["conversation"] = conversation
    app.bot_data["telegram_adapter"] = adapter
    adapter.install(app)
    app.job_queue.run_repeating(adapter.deliver_reminders, interval=reminder_interval, first=min(1.0, reminder_interval),
                                name="reminders")
    return app


async def start_polling(app: Application, *, poll_timeout: float = 1.0) -> None:
    """Start `app` polling inside a running event loop (tests and benchmarks; `negobot run` uses
    PTB's own run_polling): initialise, its post-init hook, the updater, the dispatcher."""
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    await app.updater.start_polling(poll_interval=0, timeout=poll_timeout)
    await app.start()


async def stop_polling(app: Application) -> None:
    await app.updater.stop()
    await app.stop()
    if app.post_stop is not None:
        await app.post_stop(app)
    await app.shutdown()


async def _set_commands(app: Application) -> None:
    conversation: Conversation = app.bot_data["conversation"]
    for language, locale in _MENU_LANGUAGES.items():
        commands = [BotCommand(name, description) for name, description in conversation.command_menu(locale)]
        await app.bot.set_my_commands(commands, scope=BotCommandScopeDefault(), language_code=language or None)


def run_bot(args: argparse.Namespace) -> int:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    try:
        return _run(args)
    except StartupError as exc:
        print(f"negobot: {exc}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    config = settings(args)
    asyncio.run(check_api(config["token"], config["base_url"]))
    try:
        store = SqliteStore(config["db"])
    except StoreError as exc:
        raise StartupError(str(exc)) from None
    app = build_application(config["token"], config["base_url"], store)
    log.info("Bot API at %s (the base URL was given as %s)", config["base_url"], config["base_url_form"])
    try:
        if config["webhook_url"]:
            app.run_webhook(listen=config["listen"], port=config["port"],
                            url_path=urlsplit(config["webhook_url"]).path.lstrip("/"),
                            webhook_url=config["webhook_url"], secret_token=config["secret_token"],
                            drop_pending_updates=False)
        else:
            app.run_polling(timeout=10, drop_pending_updates=False)
    except TelegramError as exc:
        raise _api_problem(exc, config["base_url"]) from None
    except StoreError as exc:
        raise StartupError(str(exc)) from None
    except OSError as exc:      # e.g. the webhook port is taken
        raise StartupError(f"cannot start: {exc.strerror or exc}") from None
    finally:
        store.close()
    return 0


async def check_api(token: str, base_url: str) -> None:
    """getMe once, so a refused token or an unreachable API is one line rather than PTB's retry log."""
    request, get_updates_request = requests(10.0)
    bot = Bot(token, base_url=f"{base_url}/bot", base_file_url=f"{base_url}/file/bot", request=request,
              get_updates_request=get_updates_request)
    try:
        async with bot:
            await bot.get_me()
    except TelegramError as exc:
        raise _api_problem(exc, base_url) from None


def _api_problem(exc: TelegramError, base_url: str) -> StartupError:
    if isinstance(exc, InvalidToken):
        return StartupError("Telegram refused the bot token (revoked or mistyped?): check it with @BotFather")
    if isinstance(exc, (NetworkError, TimedOut)):
        return StartupError(f"cannot reach the Bot API at {base_url}: {_reason(exc)}")
    return StartupError(f"the Bot API at {base_url} refused the bot: {exc}")


def _reason(exc: TelegramError) -> str:
    text = str(exc.message if hasattr(exc, "message") else exc)
    return text.splitlines()[0] if text else type(exc).__name__
