"""Per-description classify and draft latency and peak memory of the engine.

    python benchmarks/engine_latency.py

Uses the held-out descriptions (tests/data/heldout.yaml) as a realistic mix. Prints figures; it
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
    texts = [t for texts in held.values() for t in texts]
    classify, draft = [], []
    settings = MerchantSettings(shop="小鹿家居", tone="warm")
    for round_ in range(3):
        for i, text in enumerate(texts):
            t0 = time.perf_counter()
            analysis = engine.analyse(text)
            t1 = time.perf_counter()
            if analysis.scenario != "unknown":
                engine.drafts(analysis.scenario, analysis.slots, packs[("zh_CN", "zh_TW", "en")[i % 3]], settings)
            t2 = time.perf_counter()
            if round_:   # the first round warms template caches
                classify.append((t1 - t0) * 1000)
                draft.append((t2 - t1) * 1000)
    tracemalloc.start()   # one more, traced pass for the peak while drafting
    for i, text in enumerate(texts):
        analysis = engine.analyse(text)
        if analysis.scenario != "unknown":
            engine.drafts(analysis.scenario, analysis.slots, packs[("zh_CN", "zh_TW", "en")[i % 3]], settings)
    _, peak = tracemalloc.get_traced_memory()
    print(f"python {sys.version.split()[0]}; {len(texts)} descriptions × 2 rounds")
    print(f"engine start (imports, catalogue, training, 3 packs): {load_seconds * 1000:.0f} ms, peak traced memory {load_peak / 2**20:.1f} MiB")
    for name, values in (("classify + slots", classify), ("all drafts of the scenario", draft)):
        print(f"{name:<28} median {statistics.median(values):6.2f} ms   p95 {percentile(values, 0.95):6.2f} ms   max {max(values):6.2f} ms")
    print(f"memory allocated and still held after a traced pass of classify + draft: {peak / 2**20:.1f} MiB (peak)")
    try:
        import resource
        print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MiB")
    except ImportError:
        pass


if __name__ == "__main__":
    main()
