"""Throughput of the Telegram bot against the fake Bot API server, beside a bare echo bot.

    /work/venv/bin/python benchmarks/bot_throughput.py [--updates 300] [--merchants 30]

Both bots are real python-telegram-bot Applications polling the same fake server over HTTP on
127.0.0.1 (tests/telegram/fake_bot_api.py, imported by path). negobot runs exactly as
`negobot run` builds it (SQLite file, AIORateLimiter, concurrent updates), except that the
rate limiter's overall 30 messages/s cap is lifted for both bots, so the figures measure the bot,
not Telegram's quota. Not a test: it prints figures.

Reported per bot: updates/second (queue → all replies sent), CPU seconds per update (process CPU
time, which includes the fake server's threads — the same for both bots, so compare the
difference), peak Python heap during the run (tracemalloc, with --tracemalloc) and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
_spec = importlib.util.spec_from_file_location("fake_bot_api", ROOT / "tests" / "telegram" / "fake_bot_api.py")
fake_bot_api = importlib.util.module_from_spec(_spec)
sys.modules["fake_bot_api"] = fake_bot_api
_spec.loader.exec_module(fake_bot_api)

from telegram import Update  # noqa: E402
from telegram.ext import AIORateLimiter, Application, MessageHandler, TypeHandler, filters  # noqa: E402

from bot.conversation.sqlite_store import SqliteStore  # noqa: E402
from bot.engine.drafts import default_engine  # noqa: E402
from bot.telegram.runner import MAX_RETRIES, build_application  # noqa: E402

TRACE = False
DESCRIPTIONS = [
    "买家退货单号SF14098233{n:05d}填错了",
    "退回来少了两件，买家申请了退货退款",
    "快递把退货压坏了，单号YT{n:013d}",
    "买家寄回来的不是我们家的东西",
    "The buyer's return tracking number SF14098233{n:05d} is wrong",
    "退货物流三天没更新了",
]


def echo_app(api) -> Application:
    async def echo(update: Update, context) -> None:
        await context.bot.send_message(update.effective_chat.id, update.effective_message.text[:4000])

    app = (Application.builder().token(api.token).base_url(f"{api.base_url}/bot")
           .rate_limiter(AIORateLimiter(overall_max_rate=0, max_retries=MAX_RETRIES)).concurrent_updates(True).build())
    app.add_handler(MessageHandler(filters.TEXT, echo))
    return app


async def measure(name: str, app: Application, api, updates: int, merchants: int) -> dict:
    done: set[int] = set()
    finished = asyncio.Event()

    async def mark(update: Update, context) -> None:
        done.add(update.update_id)
        if len(done) >= updates:
            finished.set()

    app.add_handler(TypeHandler(Update, mark), group=99)
    await app.initialize()
    await app.updater.start_polling(poll_interval=0, timeout=1)
    await app.start()
    # warm up (first-use caches, connection pool) outside the measurement
    warm = api.send_text(1, DESCRIPTIONS[0].format(n=1))
    while warm not in done:
        await asyncio.sleep(0.01)
    done.clear()
    sends_before = len(api.calls_to("sendMessage"))

    if TRACE:
        tracemalloc.start()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for i in range(updates):
        uid = 1000 + i % merchants
        api.send_text(uid, DESCRIPTIONS[i % len(DESCRIPTIONS)].format(n=i), "en" if i % 7 == 0 else "zh-hans")
    await asyncio.wait_for(finished.wait(), 600)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    peak = tracemalloc.get_traced_memory()[1] if TRACE else float("nan")
    tracemalloc.stop()
    sent = len(api.calls_to("sendMessage")) - sends_before

    await app.updater.stop()
    await app.stop()
    await app.shutdown()
    return {"bot": name, "updates": updates, "messages sent": sent, "updates/s": updates / wall,
            "CPU ms/update": 1000 * cpu / updates, "peak heap MiB": peak / 2**20,
            "maxrss MiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "errors": len(api.errors())}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=300)
    parser.add_argument("--merchants", type=int, default=30)
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also measure the peak Python heap (slows everything down ~2x: run it separately)")
    args = parser.parse_args()
    global TRACE
    TRACE = args.tracemalloc
    default_engine()
    rows = []

    api = fake_bot_api.FakeBotApi().start()
    rows.append(await measure("echo (bare PTB)", echo_app(api), api, args.updates, args.merchants))
    api.stop()

    api = fake_bot_api.FakeBotApi().start()
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "negobot.sqlite3")
        app = build_application(api.token, api.base_url, store,
                                rate_limiter=AIORateLimiter(overall_max_rate=0, max_retries=MAX_RETRIES))
        rows.append(await measure("negobot", app, api, args.updates, args.merchants))
        store.close()
    api.stop()

    keys = list(rows[0])
    print(" | ".join(f"{k:>14}" for k in keys))
    for row in rows:
        print(" | ".join(f"{v:>14.2f}" if isinstance(v, float) else f"{v!s:>14}" for v in row.values()))
    print("(maxrss is the process peak so far, so the second row includes the first; CPU includes the fake server)")


if __name__ == "__main__":
    asyncio.run(main())
