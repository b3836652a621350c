"""Page weight of the built template gallery (all three shipped packs by default).

    /work/venv/bin/python benchmarks/gallery_weight.py [--pack DIR] [--locale L ...]

Prints the size of index.html, its gzip size (what a static host sends), and the share of the
embedded data, the inline script and stylesheet, and the static HTML.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.gallery.assets import CSS, JS  # noqa: E402
from bot.gallery.site import build_gallery  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pack")
    parser.add_argument("--locale", action="append")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        build_gallery(Path(tmp) / "site", locales=args.locale, pack_dir=Path(args.pack) if args.pack else None)
        seconds = time.perf_counter() - start
        files = sorted((Path(tmp) / "site").rglob("*"))
        total = sum(f.stat().st_size for f in files if f.is_file())
        index = (Path(tmp) / "site" / "index.html").read_bytes()
    text = index.decode("utf-8")
    data = re.search(r'<script type="application/json" id="gallery-data">(.*?)</script>', text, re.S).group(1)
    parts = {
        "embedded data (templates, char map)": len(data.encode()),
        "script": len(JS.encode()),
        "stylesheet": len(CSS.encode()),
    }
    parts["static HTML (drafts, advice, controls)"] = len(index) - sum(parts.values())
    print(f"site: {len(files)} file(s), {total:,} bytes ({total / 1024:.0f} KiB); gzip {len(gzip.compress(index, 9)):,} bytes; built in {seconds:.2f} s")
    for name, size in parts.items():
        print(f"  {name:<40} {size:>9,} bytes  {100 * size / len(index):5.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
