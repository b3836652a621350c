import pytest

from wecom_harness import running_service
from wecom_standin import StandinWecom


@pytest.fixture
async def wecom():
    standin = await StandinWecom().start()
    yield standin
    await standin.stop()


@pytest.fixture
def db(tmp_path):
    return tmp_path / "negobot.sqlite3"


@pytest.fixture
async def bot(wecom, db, engine):
    """negobot's WeCom channel, serving its callback on 127.0.0.1, talking to the stand-in."""
    async with running_service(wecom, db, engine) as service:
        yield service
