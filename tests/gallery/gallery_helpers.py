"""Constants shared by the gallery tests (a plain module: conftest is not importable by name)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"     # gitignored; screenshots for review
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TODAY = dt.date.today()
