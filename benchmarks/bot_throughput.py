"""negobot's Telegram bot beside bare echo bots with the same rate limiter, on the fake Bot API.

    .venv/bin/python benchmarks/bot_throughput.py [--rounds 5] [--sequential 30] [--updates 300]

Three echo bots:

- **echo** — the bare PTB echo bot the issue names: PTB's own requests (HTTPXRequest, as
  `Application.builder()` makes them), `Bot.send_message`, Telegram's answer parsed into a Message;
- **echo, aiohttp** — the same on negobot's transport (bot.telegram.request: aiohttp, JSON bodies):
  the ratio to it leaves out what negobot gains by its transport, so it is the ratio of negobot's
  own work — the conversation core above all;
- **echo, raw send** — that one sending as negobot does, without parsing the answer (`Bot._post`,
  see bot.telegram.handlers._post): the strictest, which also leaves out what negobot saves that way.

All bots are real python-telegram-bot Applications polling the same kind of fake Bot API server over
HTTP on 127.0.0.1 (tests/telegram/fake_bot_api.py, imported by path; one server per bot, all in this
process), all with the rate limiter `negobot run` ships (bot.telegram.retry.RetryingRateLimiter:
PTB's AIORateLimiter, max_retries=5, plus safe network retries). negobot runs exactly as
`negobot run` builds it (its transport, SQLite file, concurrent updates). Not a test: it prints figures.

The descriptions are the held-out classifier set, the blind facts sets and the realistic held-out set
(several hundred, three languages, every scenario, short lines to pasted chats). No description is
sent twice to a bot within a round, and the round-trip descriptions differ from round to round: none
is the same text as a warm-up one, so nothing measured can have been seen before.

1. **Messages per description** — every description, each from its own merchant: sendMessage calls
   per description.
2. **Round trip** — `--sequential` descriptions sent one after another, each by a new merchant (as a
   new user would try the bot), the rate limiter as shipped (30 messages/s overall; PTB limits
   groups, not private chats): time from the update being queued on the server to the bot having
   sent its whole answer. Paired: the bots run side by side on their own servers, and each
   description goes to each bot in turn (which one first rotates), so a slow moment of the
   machine falls on all. Each round starts with the rate limiter's bucket empty, so its 30
   descriptions stay within Telegram's quota (more, sent back to back, and the limiter rightly holds
   the last ones back by ~33 ms each: the quota, not the bot's work — use `--pace`).
   `--pace N` sends N descriptions a second instead of back to back: each round trip then starts
   from an idle process. Median and 90th percentile over all rounds.
3. **CPU per update** — a burst of `--updates` descriptions over `--merchants` merchants with the
   rate limiter's caps lifted (so it measures the bot, not Telegram's quota): the process's CPU time
   minus the CPU the fake server's request threads used (measured in those threads), per update.
   Each bot alone in the process, on a fresh server and a fresh Application; the order rotates
   by round; medians over the rounds.

Every phase starts after a warm-up (12 other descriptions through the same Application), which is
not measured. Ratios are negobot ÷ each echo bot.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import logging
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
_spec = importlib.util.spec_from_file_location("fake_bot_api", ROOT / "tests" / "telegram" / "fake_bot_api.py")
fake_bot_api = importlib.util.module_from_spec(_spec)
sys.modules["fake_bot_api"] = fake_bot_api
_spec.loader.exec_module(fake_bot_api)

from telegram import Update  # noqa: E402
from telegram.ext import Application, MessageHandler, TypeHandler, filters  # noqa: E402

from bot.conversation.sqlite_store import SqliteStore  # noqa: E402
from bot.engine.drafts import default_engine  # noqa: E402
from bot.telegram.request import requests  # noqa: E402
from bot.telegram.retry import RetryingRateLimiter  # noqa: E402
from bot.telegram.runner import MAX_RETRIES, build_application, start_polling, stop_polling  # noqa: E402

POLL_TIMEOUT = 10.0      # build_application's default, for both bots
LANGUAGE_CODES = {"zh_CN": "zh-hans", "zh_TW": "zh-hant", "en": "en"}


def descriptions() -> list[tuple[str, str]]:
    """(text, Telegram language code): the held-out classifier set and the blind facts sets."""
    data = ROOT / "tests" / "data"
    out = []
    held = yaml.safe_load((data / "heldout.yaml").read_text(encoding="utf-8"))
    for texts in held.values():
        for text in texts:
            latin = sum(ch.isascii() for ch in text) > 0.8 * len(text)
            out.append((text, "en" if latin else "zh-hans"))
    for name, key in (("facts_heldout.yaml", "cases"), ("facts_cases.yaml", "cases"), ("heldout_realistic.yaml", "items")):
        path = data / name          # the realistic set: pasted chats, typos, several problems, out of scope
        if path.exists():
            cases = yaml.safe_load(path.read_text(encoding="utf-8")).get(key, [])
            out += [(c["text"], LANGUAGE_CODES.get(c.get("lang"), "zh-hans")) for c in cases if c.get("text")]
    return out


def limiter(capped: bool) -> RetryingRateLimiter:
    if capped:                                   # as `negobot run` ships it
        return RetryingRateLimiter(max_retries=MAX_RETRIES)
    return RetryingRateLimiter(overall_max_rate=0, max_retries=MAX_RETRIES)


def echo_app(api, capped: bool, transport: bool = False, raw: bool = False) -> Application:
    """The echo bot: PTB's own requests (HTTPXRequest, as Application.builder() makes them), or with
    `transport` negobot's (bot.telegram.request), and with `raw` sending as negobot does."""
    async def echo(update: Update, context) -> None:
        await context.bot.send_message(update.effective_chat.id, update.effective_message.text[:4000])

    async def echo_raw(update: Update, context) -> None:     # as negobot sends: Telegram's answer not parsed
        await context.bot._post("sendMessage", {"chat_id": update.effective_chat.id,
                                                "text": update.effective_message.text[:4000]})

    builder = Application.builder().token(api.token).base_url(f"{api.base_url}/bot")
    if transport:
        request, get_updates_request = requests(POLL_TIMEOUT)    # the same HTTP requests as negobot's
        builder = builder.request(request).get_updates_request(get_updates_request)
    app = builder.rate_limiter(limiter(capped)).concurrent_updates(True).build()
    app.add_handler(MessageHandler(filters.TEXT, echo_raw if raw else echo))
    return app


class Running:
    """An Application polling `api`, recording when each update was completely handled."""

    def __init__(self, app: Application, api):
        self.app, self.api = app, api
        self.finished: dict[int, float] = {}
        self.changed = asyncio.Event()

        async def mark(update: Update, context) -> None:      # group 99: after the bot's own handler
            self.finished[update.update_id] = time.perf_counter()
            self.changed.set()

        app.add_handler(TypeHandler(Update, mark), group=99)

    async def __aenter__(self) -> "Running":
        await start_polling(self.app)
        return self

    async def __aexit__(self, *exc) -> None:
        await stop_polling(self.app)

    async def wait(self, update_ids, timeout: float = 600) -> None:
        """Until these updates are handled — for negobot, also until what they wrote is saved: it saves
        after the answer is sent (TelegramAdapter's write-behind), so that save is not in the round
        trip (the merchant has the answer), but it is in the CPU per update, and it is over before
        the next description goes to either bot."""
        async def done() -> None:
            while not set(update_ids) <= self.finished.keys():
                self.changed.clear()
                await self.changed.wait()
            adapter = self.app.bot_data.get("telegram_adapter")
            if adapter is not None:
                await adapter.settled()
        await asyncio.wait_for(done(), timeout)


def build(kind: str, api, capped: bool, tmp: Path):
    if kind in ECHOES:
        return echo_app(api, capped, transport=kind != "echo", raw=kind == "echo, raw send"), None
    store = SqliteStore(tmp / f"negobot-{time.monotonic_ns()}.sqlite3")
    return build_application(api.token, api.base_url, store, rate_limiter=limiter(capped)), store


async def phase(kind: str, capped: bool, tmp: Path, work) -> object:
    api = fake_bot_api.FakeBotApi().start()
    app, store = build(kind, api, capped, tmp)
    try:
        async with Running(app, api) as bot:
            warm = [api.send_text(9_000_000 + i, text, lc) for i, (text, lc) in enumerate(WARM_UP)]
            await bot.wait(warm)
            return await work(bot, api)
    finally:
        if store is not None:
            store.close()
        api.stop()


WARM_UP: list[tuple[str, str]] = []
# The bare PTB echo bot the issue compares with (PTB's own requests; Bot.send_message, its answer parsed
# into a Message); the same on negobot's transport (bot.telegram.request: aiohttp) — the ratio to it
# leaves out what negobot gains by its transport; and that one sending as negobot does
# (bot.telegram.handlers._post: the answer not parsed) — which also leaves out what negobot saves by
# not reading Telegram's answer.
ECHOES = ("echo", "echo, aiohttp", "echo, raw send")
KINDS = (*ECHOES, "negobot")


async def paired_round_trips(texts: list[tuple[str, str]], tmp: Path, base_uid: int,
                             pace: float = 0) -> dict[str, list[float]]:
    """Each description to each bot in turn (rotating which goes first), all running."""
    apis = {kind: fake_bot_api.FakeBotApi().start() for kind in KINDS}
    built = {kind: build(kind, apis[kind], True, tmp) for kind in apis}
    times: dict[str, list[float]] = {kind: [] for kind in apis}
    try:
        async with contextlib.AsyncExitStack() as stack:
            bots = {kind: await stack.enter_async_context(Running(built[kind][0], apis[kind])) for kind in KINDS}
            for kind, bot in bots.items():
                warm = [apis[kind].send_text(9_000_000 + i, text, lc) for i, (text, lc) in enumerate(WARM_UP)]
                await bot.wait(warm)
            # The rate limiter's bucket (30 messages a second) empties after the warm-up and negobot's
            # command menus: a round of up to 30 descriptions then never waits for Telegram's quota.
            await asyncio.sleep(1.5)
            next_at = time.perf_counter()
            for i, (text, lc) in enumerate(texts):
                if pace:            # --pace: from idle each time, as sparse traffic meets the bot
                    await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
                    next_at = time.perf_counter() + 1 / pace
                for kind in KINDS[i % len(KINDS):] + KINDS[:i % len(KINDS)]:
                    started = time.perf_counter()
                    update = apis[kind].send_text(base_uid + i, text, lc)
                    await bots[kind].wait([update])
                    times[kind].append(bots[kind].finished[update] - started)
    finally:
        for app, store in built.values():
            if store is not None:
                store.close()
        for api in apis.values():
            api.stop()
    return times


async def cpu_burst(kind: str, texts: list[tuple[str, str]], merchants: int, tmp: Path) -> dict:
    async def work(bot: Running, api) -> dict:
        sends_before = len(api.calls_to("sendMessage"))
        server_cpu0 = api.cpu_seconds
        cpu0, wall0 = time.process_time(), time.perf_counter()
        updates = [api.send_text(5000 + i % merchants, text, lc) for i, (text, lc) in enumerate(texts)]
        await bot.wait(updates)
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        server = api.cpu_seconds - server_cpu0
        return {"cpu_ms": 1000 * (cpu - server) / len(texts), "cpu_with_server_ms": 1000 * cpu / len(texts),
                "per_s": len(texts) / wall, "sent": len(api.calls_to("sendMessage")) - sends_before,
                "errors": len(api.errors())}
    return await phase(kind, False, tmp, work)


class _Failures(logging.Handler):
    """Counts updates the bot failed on (it then answers "something went wrong": still one message)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


async def messages_per_description(texts: list[tuple[str, str]], tmp: Path) -> dict:
    failures = _Failures()
    logging.getLogger("negobot.telegram").addHandler(failures)

    async def work(bot: Running, api) -> dict:
        before = len(api.calls_to("sendMessage"))
        updates = [api.send_text(100_000 + i, text, lc) for i, (text, lc) in enumerate(texts)]
        await bot.wait(updates)
        per_chat = [len(api.calls_to("sendMessage", 100_000 + i)) for i in range(len(texts))]
        drafts = sum(1 for i in range(len(texts)) if any("<pre>" in m.html for m in api.chat(100_000 + i)))
        return {"descriptions": len(texts), "messages": len(api.calls_to("sendMessage")) - before,
                "most": max(per_chat), "with_draft": drafts, "errors": len(api.errors())}
    try:
        result = await phase("negobot", False, tmp, work)
    finally:
        logging.getLogger("negobot.telegram").removeHandler(failures)
    result["failed"] = failures.count
    return result


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sequential", type=int, default=30)
    parser.add_argument("--updates", type=int, default=300)
    parser.add_argument("--merchants", type=int, default=30)
    parser.add_argument("--pace", type=float, default=0, help="round-trip descriptions per second (0: back to back)")
    args = parser.parse_args()
    if args.sequential > 30 and not 0 < args.pace <= 25:
        print("note: more than 30 descriptions a round sent back to back exceed the rate limiter's 30 messages/s; "
              "the last ones wait for the quota (use --pace 20)", file=sys.stderr)
    default_engine()
    texts = descriptions()
    # Warm-up, round-trip and burst descriptions: spread over every scenario and language, the warm-up
    # and round-trip ones never the same text, no text twice within a round.
    distinct: dict[str, tuple[str, str]] = {}
    for text, lc in texts:
        distinct.setdefault(text, (text, lc))
    warm_up = list(distinct.values())[::67][:12]
    WARM_UP.extend(warm_up)
    measured = [t for t in distinct.values() if t not in warm_up]
    step = max(1, len(measured) // (args.sequential * args.rounds))
    spread = measured[::step] + [t for i, t in enumerate(measured) if i % step]
    sequential = [spread[r * args.sequential:(r + 1) * args.sequential] for r in range(args.rounds)]
    if len(spread) < args.sequential * args.rounds:
        print(f"note: {len(spread)} descriptions for {args.rounds} rounds of {args.sequential}: rounds repeat some", file=sys.stderr)
        sequential = [[spread[(r * args.sequential + i) % len(spread)] for i in range(args.sequential)] for r in range(args.rounds)]
    stride = next(k for k in (7, 11, 13, 17, 19, 23) if math.gcd(k, len(measured)) == 1)   # distinct within a burst
    bursts = [[measured[(r * args.updates + i) * stride % len(measured)] for i in range(min(args.updates, len(measured)))]
              for r in range(args.rounds)]

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        mpd = await messages_per_description(texts, tmp)
        rtt: dict[str, list[float]] = {kind: [] for kind in KINDS}
        cpu: dict[str, list[dict]] = {kind: [] for kind in KINDS}
        for r in range(args.rounds):
            for kind, times in (await paired_round_trips(sequential[r], tmp, 200_000 + 1000 * r, args.pace)).items():
                rtt[kind].extend(times)
            for kind in KINDS[r % len(KINDS):] + KINDS[:r % len(KINDS)]:
                cpu[kind].append(await cpu_burst(kind, bursts[r], args.merchants, tmp))

    def med(kind: str, key: str) -> float:
        return statistics.median(row[key] for row in cpu[kind])

    def p90(values: list[float]) -> float:
        return statistics.quantiles(values, n=10)[-1]

    n_rtt = len(rtt["negobot"])
    print(f"what: {len(texts)} descriptions for messages per description; round trips over {args.rounds} rounds of "
          f"{args.sequential} sequential descriptions ({n_rtt} per bot, paired, "
          f"{f'{args.pace:g}/s' if args.pace else 'back to back'}, none repeated, warm-up excluded); "
          f"CPU over {args.rounds} bursts of {args.updates} descriptions from {args.merchants} merchants; "
          f"all bots: RetryingRateLimiter (AIORateLimiter), a fake Bot API on 127.0.0.1 each; 'echo' on PTB's own "
          f"requests (httpx), the others and negobot on negobot's (aiohttp, JSON bodies)")
    print(f"messages per description: {mpd['messages'] / mpd['descriptions']:.3f} "
          f"({mpd['messages']} messages for {mpd['descriptions']} descriptions, at most {mpd['most']} for one; "
          f"{mpd['with_draft']} with the recommended draft in that message; {mpd['failed']} failed updates, "
          f"{mpd['errors']} API errors)")
    print(f"{'bot':>14} | {'round trip ms: median':>21} | {'p90':>6} | {'CPU ms/update':>13} | {'incl. fake server':>17} | "
          f"{'updates/s (burst)':>17} | {'messages':>8} | errors")
    for kind in KINDS:
        print(f"{kind:>14} | {1000 * statistics.median(rtt[kind]):>21.2f} | {1000 * p90(rtt[kind]):>6.2f} | "
              f"{med(kind, 'cpu_ms'):>13.2f} | {med(kind, 'cpu_with_server_ms'):>17.2f} | {med(kind, 'per_s'):>17.1f} | "
              f"{cpu[kind][0]['sent']:>8} | {cpu[kind][0]['errors']}")
    for echo in ECHOES:
        rt_ratio = statistics.median(rtt["negobot"]) / statistics.median(rtt[echo])
        p90_ratio = p90(rtt["negobot"]) / p90(rtt[echo])
        cpu_ratio = med("negobot", "cpu_ms") / med(echo, "cpu_ms")
        print(f"negobot ÷ {echo}: median round trip {rt_ratio:.2f}× (target ≤ 1.3; p90 {p90_ratio:.2f}×), "
              f"CPU per update {cpu_ratio:.2f}× (target ≤ 1.5)")


if __name__ == "__main__":
    asyncio.run(main())
