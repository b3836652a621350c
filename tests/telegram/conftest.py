import pytest

from fake_bot_api import FakeBotApi


@pytest.fixture
def api():
    server = FakeBotApi().start()
    yield server
    server.stop()


@pytest.fixture
def db(tmp_path):
    return tmp_path / "negobot.sqlite3"
