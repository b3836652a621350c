"""Where the installed package keeps its data: catalogue YAML, template packs, gettext catalogs."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _package_dir(package: str) -> Path:
    return Path(str(resources.files(package)))


def data_dir() -> Path:
    return _package_dir("bot") / "data"


def templates_dir() -> Path:
    return _package_dir("bot.templates")


def locales_dir() -> Path:
    return _package_dir("bot.locales")
