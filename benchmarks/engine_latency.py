"""Per-description classify and draft latency and peak memory of the engine.

    python benchmarks/engine_latency.py

Uses the held-out descriptions (tests/data/heldout.yaml, short; tests/data/heldout_realistic.yaml,
long and chatty) as the mix, and reports each. Prints figures; it
asserts nothing — speed belongs here, not in timed tests.
"""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    started = time.perf_counter()
    from bot.engine.drafts import Engine, MerchantSettings
    from bot.engine.packs import clear_cache, load_pack

    engine = Engine()
    packs = {locale: load_pack(locale) for locale in ("zh_CN", "zh_TW", "en")}
    load_seconds = time.perf_counter() - started   # imports included, as a command's start-up sees it

    tracemalloc.start()   # memory of a second, traced build (tracing slows it, so it is not timed)
    clear_cache()
    engine = Engine()
    packs = {locale: load_pack(locale) for locale in ("zh_CN", "zh_TW", "en")}
    _, load_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    held = yaml.safe_load((ROOT / "tests" / "data" / "heldout.yaml").read_text(encoding="utf-8"))
    short = [t for texts in held.values() for t in texts]
    realistic_path = ROOT / "tests" / "data" / "heldout_realistic.yaml"
    realistic = ([str(item["text"]) for item in yaml.safe_load(realistic_path.read_text(encoding="utf-8"))["items"]]
                 if realistic_path.exists() else [])
    texts = short + realistic
    classify, draft = [], []
    settings = MerchantSettings(shop="小鹿家居", tone="warm")
    for round_ in range(3):
        for i, text in enumerate(texts):
            t0 = time.perf_counter()
            analysis = engine.analyse(text)
            t1 = time.perf_counter()
            if analysis.scenario != "unknown":
                engine.drafts(analysis.scenario, analysis.slots, packs[("zh_CN", "zh_TW", "en")[i % 3]], settings,
                              amount_kind=analysis.amount_kind, facts=analysis.facts)
            t2 = time.perf_counter()
            if round_:   # the first round warms template caches
                classify.append((t1 - t0) * 1000)
                draft.append((t2 - t1) * 1000)
    tracemalloc.start()   # one more, traced pass for the peak while drafting
    for i, text in enumerate(texts):
        analysis = engine.analyse(text)
        if analysis.scenario != "unknown":
            engine.drafts(analysis.scenario, analysis.slots, packs[("zh_CN", "zh_TW", "en")[i % 3]], settings,
                              amount_kind=analysis.amount_kind, facts=analysis.facts)
    _, peak = tracemalloc.get_traced_memory()
    print(f"python {sys.version.split()[0]}; {len(texts)} descriptions ({len(short)} short, {len(realistic)} realistic) × 2 rounds")
    print(f"engine start (imports, catalogue, training, 3 packs): {load_seconds * 1000:.0f} ms, peak traced memory {load_peak / 2**20:.1f} MiB")
    n = len(texts)
    by_set = {"short": [v for i, v in enumerate(classify) if i % n < len(short)],
              "realistic": [v for i, v in enumerate(classify) if i % n >= len(short)]}
    rows = [("classify + slots + facts", classify)]
    rows += [(f"  … {name} texts", values) for name, values in by_set.items() if values]
    rows.append(("all drafts of the scenario", draft))
    for name, values in rows:
        print(f"{name:<28} median {statistics.median(values):6.2f} ms   p95 {percentile(values, 0.95):6.2f} ms   max {max(values):6.2f} ms")
    print(f"memory allocated and still held after a traced pass of classify + draft: {peak / 2**20:.1f} MiB (peak)")
    try:
        import resource
        print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MiB")
    except ImportError:
        pass


if __name__ == "__main__":
    main()
