import datetime as dt

import pytest

from bot.engine.drafts import Engine, default_engine


@pytest.fixture(scope="session")
def engine() -> Engine:
    return default_engine()


@pytest.fixture
def today() -> dt.date:
    return dt.date(2026, 11, 28)


# Figures that tests measure and the run should show (held-out accuracy and calibration).
REPORTED: dict[str, str] = {}


@pytest.fixture(scope="session")
def figures() -> dict[str, str]:
    """Record a figure: `figures["name"] = "value"` is printed under "negobot figures" at the end."""
    return REPORTED


def pytest_terminal_summary(terminalreporter):
    if REPORTED:
        terminalreporter.section("negobot figures")
        for key, value in REPORTED.items():
            terminalreporter.write_line(f"{key}: {value}")
