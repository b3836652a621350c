"""`negobot wecom` settings: flags first, then the WECOM_* environment; each problem is one line."""

from __future__ import annotations

import argparse
import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_API_BASE_URL = "https://qyapi.weixin.qq.com"
DEFAULT_LISTEN = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_PATH = "/wecom"

# Documented shapes: the EncodingAESKey is 43 characters from a-z, A-Z, 0-9 (Base64 of a 32-byte key
# without its "="); the callback Token is up to 32 letters and digits; an AgentID is a number.
_AES_KEY = re.compile(r"[A-Za-z0-9]{43}")
_TOKEN = re.compile(r"[A-Za-z0-9]{1,32}")
_CORP_ID = re.compile(r"[A-Za-z0-9]{1,64}")
_SECRET = re.compile(r"[A-Za-z0-9_\-]{1,128}")
_PATH = re.compile(r"/[A-Za-z0-9._~/\-]*")


class SettingsError(Exception):
    """A missing or malformed setting; str() is one line for the person starting negobot."""


@dataclass(frozen=True)
class WecomSettings:
    corp_id: str
    agent_id: int
    secret: str
    token: str
    aes_key: str
    api_base_url: str = DEFAULT_API_BASE_URL
    db: Path = Path("negobot.sqlite3")
    listen: str = DEFAULT_LISTEN
    port: int = DEFAULT_PORT
    path: str = DEFAULT_PATH


def load_settings(args: argparse.Namespace, environ: Mapping[str, str], default_db: Path) -> WecomSettings:
    def value(flag: str, env: str) -> str:
        given = getattr(args, flag, None)
        return str(given if given is not None else environ.get(env, "")).strip()

    names = {"corp_id": "WECOM_CORP_ID", "agent_id": "WECOM_AGENT_ID", "secret": "WECOM_SECRET",
             "token": "WECOM_TOKEN", "aes_key": "WECOM_AES_KEY"}
    found = {field: value(field, env) for field, env in names.items()}
    missing = [f"{names[field]} (--{field.replace('_', '-')})" for field, given in found.items() if not given]
    if missing:
        raise SettingsError("missing WeCom settings: " + ", ".join(missing)
                            + " — copy them from the WeCom admin console (see README, \"The WeCom app\")")
    if not _CORP_ID.fullmatch(found["corp_id"]):
        raise SettingsError("WECOM_CORP_ID is malformed: expected the letters and digits of the CorpID "
                            "(我的企业 → 企业信息 → 企业ID, like ww1436e0e65a779aee)")
    if not found["agent_id"].isascii() or not found["agent_id"].isdigit() or len(found["agent_id"]) > 10:
        raise SettingsError(f"WECOM_AGENT_ID must be the app's AgentId, a number like 1000002 (got {found['agent_id']!r})")
    if not _SECRET.fullmatch(found["secret"]):
        raise SettingsError("WECOM_SECRET is malformed: expected the app's Secret as the console shows it "
                            "(letters, digits, - and _)")
    if not _TOKEN.fullmatch(found["token"]):
        raise SettingsError("WECOM_TOKEN is malformed: the callback Token is 1 to 32 letters and digits "
                            "(接收消息 → 设置API接收 → Token)")
    key = found["aes_key"]
    if len(key) != 43 or not _AES_KEY.fullmatch(key):
        raise SettingsError(f"WECOM_AES_KEY is malformed: the EncodingAESKey is exactly 43 letters and digits "
                            f"(got {len(key)} characters)")
    try:
        if len(base64.b64decode(key + "=", validate=True)) != 32:
            raise ValueError
    except (binascii.Error, ValueError):
        raise SettingsError("WECOM_AES_KEY is malformed: it does not decode to a 32-byte AES key; "
                            "copy it again or let the console generate a new one") from None
    base_url = value("api_base_url", "WECOM_API_BASE_URL").rstrip("/") or DEFAULT_API_BASE_URL
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"WECOM_API_BASE_URL {base_url!r} is not an http(s) URL")
    path = getattr(args, "path", None) or DEFAULT_PATH
    if not _PATH.fullmatch(path):
        raise SettingsError(f"--path {path!r} must start with / and use only letters, digits and . _ ~ - /")
    port = getattr(args, "port", None)
    port = DEFAULT_PORT if port is None else port
    if not 0 < port < 65536:
        raise SettingsError(f"--port {port} is not a TCP port (1-65535)")
    db = getattr(args, "db", None) or environ.get("NEGOBOT_DB") or default_db
    return WecomSettings(corp_id=found["corp_id"], agent_id=int(found["agent_id"]), secret=found["secret"],
                         token=found["token"], aes_key=key, api_base_url=base_url, db=Path(db).expanduser(),
                         listen=getattr(args, "listen", None) or DEFAULT_LISTEN, port=port, path=path)
