"""What a WeCom merchant waits for and how many messages a description costs, against the stand-in.

    .venv/bin/python benchmarks/wecom_answers.py [--merchants 49] [--limit 245]

negobot's WeCom channel runs exactly as `negobot wecom` builds it (WecomService: tornado callback
server, SQLite file, WeCom API client with its token cache and per-member pacing) on 127.0.0.1,
against the stand-in WeCom of the tests (tests/wecom/wecom_standin.py, imported by path), which
encrypts and signs each callback, POSTs it and receives the answers through message/send. Not a
test: it prints figures.

Every held-out description (tests/data/heldout.yaml: Simplified, Traditional, English; the
merchant's language is left at Simplified) is sent once, spread over --merchants merchants who all
write at the same time (49 by default: five descriptions each, which stays under WeCom's 30
messages a minute to one member; with fewer merchants each one writes faster than that and the
answers past the limit wait for it — the run says how many sends were paced). Reported:

- the URL check — WeCom's GET when the callback URL is saved, answered with the decrypted echostr;
- acknowledgement time — the callback's POST until its 200 (WeCom's limit: 5 s);
- answer time — the POST until the last message/send of the answer reached the stand-in;
- messages per description — how many message/send calls one description's answer takes, and
  whether any was refused (over 2 048 bytes) or dropped (over WeCom's per-member rate);
- the same for one merchant alone (no other load), for a description and for a choice picked by
  number.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
for name in ("wecom_standin", "wecom_harness"):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / "wecom" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)

from bot.engine.drafts import default_engine  # noqa: E402
from wecom_harness import running_service  # noqa: E402
from wecom_standin import StandinWecom  # noqa: E402


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


async def measure(merchants: int, limit: int) -> None:  # noqa: C901
    heldout = yaml.safe_load((ROOT / "tests" / "data" / "heldout.yaml").read_text(encoding="utf-8"))
    descriptions = [text for texts in heldout.values() for text in texts][:limit]
    engine = default_engine()
    wecom = await StandinWecom().start()
    with tempfile.TemporaryDirectory() as tmp:
        async with running_service(wecom, Path(tmp) / "negobot.sqlite3", engine) as service:
            channel = service.channel
            checks = []
            for _ in range(50):
                start = time.perf_counter()
                status, body, echo = await wecom.verify_url()
                assert (status, body) == (200, echo)
                checks.append(time.perf_counter() - start)
            finished: dict[str, float] = {}
            handle = channel.handle

            async def timed(incoming):
                await handle(incoming)
                finished[incoming.dedupe_key] = time.perf_counter()

            channel.handle = timed
            api_stats = service.api.stats
            queues = [descriptions[i::merchants] for i in range(merchants)]
            acks: list[float] = []
            answers: list[float] = []
            per_description: list[int] = []

            async def merchant(index: int, texts: list[str]) -> None:
                member = f"merchant{index:02d}"
                for text in texts:
                    before = len(wecom.inbox(member))
                    msg_id = wecom.new_msg_id()
                    start = time.perf_counter()
                    statuses = await wecom.send(member, text, msg_id=msg_id)
                    acks.append(time.perf_counter() - start)
                    assert statuses == [200], statuses
                    while f"msg:{msg_id}" not in finished:
                        await asyncio.sleep(0.002)
                    answers.append(finished[f"msg:{msg_id}"] - start)
                    per_description.append(len(wecom.inbox(member)) - before)

            wall = time.perf_counter()
            await asyncio.gather(*(merchant(i, q) for i, q in enumerate(queues)))
            wall = time.perf_counter() - wall

            alone: list[float] = []
            picks: list[float] = []
            pick_messages: list[int] = []
            for k, text in enumerate(descriptions[:40]):
                member = f"alone{k // 4:02d}"        # a few descriptions each: under the per-member rate
                start = time.perf_counter()
                await wecom.send(member, text)
                await channel.drain()
                alone.append(time.perf_counter() - start)
                if not service.conversation.store.load_menu(f"wecom:{member}"):
                    continue
                before = len(wecom.inbox(member))
                start = time.perf_counter()
                await wecom.send(member, "#1")
                await channel.drain()
                picks.append(time.perf_counter() - start)
                pick_messages.append(len(wecom.inbox(member)) - before)
    await wecom.stop()

    ms = lambda s: f"{s * 1000:.0f} ms"  # noqa: E731
    print(f"descriptions: {len(descriptions)} from {merchants} merchants writing at once, {wall:.1f} s in all")
    print(f"URL check (GET → echo): median {ms(statistics.median(checks))}, max {ms(max(checks))}  (WeCom: within 1 s)")
    print(f"acknowledgement (POST → 200): median {ms(statistics.median(acks))}, p95 {ms(pct(acks, .95))}, "
          f"max {ms(max(acks))}  (WeCom allows 5 000 ms)")
    print(f"answer under that load (POST → last message delivered): median {ms(statistics.median(answers))}, "
          f"p95 {ms(pct(answers, .95))}, max {ms(max(answers))}")
    counts = {n: per_description.count(n) for n in sorted(set(per_description))}
    print(f"messages per description: median {statistics.median(per_description):g}, mean "
          f"{statistics.mean(per_description):.2f}, distribution {counts}")
    print(f"one merchant alone, a description: answer median {ms(statistics.median(alone))}, "
          f"p95 {ms(pct(alone, .95))}; a choice picked by number (#1): median {ms(statistics.median(picks))}, "
          f"{statistics.median(pick_messages):g} messages")
    print(f"sends paced for WeCom's per-member limit: {api_stats['paced']}; retries: {api_stats['retries']}; "
          f"tokens fetched: {api_stats['token_fetches']}")
    longest = max(len(s.content.encode()) for s in wecom.delivered)
    print(f"longest message: {longest} bytes (limit 2 048); refused: {len(wecom.refused)}, "
          f"dropped for rate: {len(wecom.dropped)}, sent twice: {len(wecom.deduplicated)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--merchants", type=int, default=49)
    parser.add_argument("--limit", type=int, default=245)
    args = parser.parse_args()
    asyncio.run(measure(args.merchants, args.limit))


if __name__ == "__main__":
    main()
