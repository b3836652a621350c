"""Where the package keeps its data: catalogue YAML, template packs, gettext catalogs.

An installed negobot carries templates/ and locales/ inside the package (bot.templates,
bot.locales, see pyproject.toml). Run straight from a source checkout (`python -m bot` in the
repository), those packages do not exist and the folders beside bot/ are used instead.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent


def _package_dir(package: str, checkout_folder: str) -> Path:
    try:
        return Path(str(resources.files(package)))
    except ModuleNotFoundError:
        return _CHECKOUT / checkout_folder


def data_dir() -> Path:
    return Path(__file__).resolve().parent / "data"


def templates_dir() -> Path:
    return _package_dir("bot.templates", "templates")


def locales_dir() -> Path:
    return _package_dir("bot.locales", "locales")
