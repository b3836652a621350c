"""Template packs: a folder with pack.yaml and <remedy>.<audience>.j2 templates, per locale.

A merchant's pack overrides the shipped pack of its locale template by template. Templates run in
Jinja2's sandbox: they can format what they are given and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from bot.engine.catalogue import LOCALES
from bot.resources import templates_dir

MANIFEST = "pack.yaml"
TEMPLATE_SUFFIX = ".j2"
MAX_DRAFT_CHARS = 20_000
_MAX_SEQUENCE = 10_000
_TEMPLATE_NAME = re.compile(r"^(?P<remedy>[a-z0-9_]+)\.(?P<audience>[a-z]+)\.j2$")

PLACEHOLDER_OPEN, PLACEHOLDER_CLOSE = "\ue000", "\ue001"   # marks placeholders for the gallery


class PackError(Exception):
    """A pack cannot be used; the message is one line naming the file (and line) at fault."""


@dataclass(frozen=True)
class Manifest:
    name: str
    locale: str
    money_pattern: str
    placeholder: str
    placeholders: dict[str, str]
    default_signature: str
    complete: bool = False


@dataclass
class Pack:
    """A usable pack: the manifest and a sandboxed environment over its folder(s)."""

    manifest: Manifest
    directories: tuple[Path, ...]          # first wins: the merchant's folder, then the shipped one
    environment: SandboxedEnvironment = field(repr=False)

    @property
    def locale(self) -> str:
        return self.manifest.locale

    def template_names(self) -> list[str]:
        return sorted(set(self.environment.list_templates(extensions=["j2"])))

    def has_template(self, remedy: str, audience: str) -> bool:
        return f"{remedy}.{audience}{TEMPLATE_SUFFIX}" in self.template_names()

    def origin(self, name: str) -> Path | None:
        for directory in self.directories:
            if (directory / name).is_file():
                return directory / name
        return None

    def render(self, remedy: str, audience: str, variables: dict[str, object]) -> str:
        name = f"{remedy}.{audience}{TEMPLATE_SUFFIX}"
        try:
            template = self.environment.get_template(name)
            text = template.render(variables)
        except TemplateNotFound as exc:
            raise PackError(f"{self._where(name)}: no template {exc.name} in this pack") from None
        except TemplateSyntaxError as exc:
            raise PackError(f"{self._where(exc.name or name)}:{exc.lineno}: {exc.message}") from None
        except SecurityError as exc:
            raise PackError(f"{self._where(name)}{_line_of(exc, name)}: refused by the sandbox: {exc}") from None
        except TemplateError as exc:
            raise PackError(f"{self._where(name)}{_line_of(exc, name)}: {exc.message or exc}") from None
        except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError, RecursionError) as exc:
            raise PackError(f"{self._where(name)}{_line_of(exc, name)}: {type(exc).__name__}: {exc}") from None
        if len(text) > MAX_DRAFT_CHARS:
            raise PackError(f"{self._where(name)}: the draft is {len(text)} characters long (at most {MAX_DRAFT_CHARS})")
        return tidy(text)

    def _where(self, name: str) -> str:
        origin = self.origin(name)
        return str(origin) if origin else str(self.directories[0] / name)


def tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if not line and out and not out[-1]:
            continue
        out.append(line)
    return "\n".join(out)


def _line_of(exc: BaseException, name: str) -> str:
    """The template line where a render error happened, from Jinja's rewritten traceback."""
    tb = exc.__traceback__
    line = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(TEMPLATE_SUFFIX):
            line = tb.tb_lineno
        tb = tb.tb_next
    return f":{line}" if line else ""


class _Sandbox(SandboxedEnvironment):
    """The stock sandbox, plus limits on operators that could build huge values."""

    intercepted_binops = frozenset(["*", "**", "+"])

    def call_binop(self, context, operator, left, right):  # noqa: ANN001 - Jinja's signature
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > 64:
            raise SecurityError("exponent too large")
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(count, int) and len(seq) * count > _MAX_SEQUENCE:
                    raise SecurityError("repetition too large")
        return super().call_binop(context, operator, left, right)


def _safe_range(*args: int) -> range:
    r = range(*args)
    if len(r) > _MAX_SEQUENCE:
        raise SecurityError(f"range too large (at most {_MAX_SEQUENCE} items)")
    return r


def make_environment(directories: tuple[Path, ...]) -> SandboxedEnvironment:
    env = _Sandbox(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in directories]),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,
    )
    env.globals = {"range": _safe_range, "dict": dict, "lipsum": None, "cycler": None, "joiner": None, "namespace": None}
    env.globals = {k: v for k, v in env.globals.items() if v is not None}
    return env


def read_manifest(directory: Path, base: Manifest | None = None) -> Manifest:
    path = directory / MANIFEST
    if not directory.is_dir():
        raise PackError(f"{directory}: not a folder")
    if not path.is_file():
        raise PackError(f"{path}: missing (a pack needs a {MANIFEST} manifest)")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise PackError(f"{path}: not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise PackError(f"{where}: not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    if not isinstance(raw, dict):
        raise PackError(f"{path}: expected a mapping of settings")
    locale = str(raw.get("locale") or (base.locale if base else ""))
    if locale not in LOCALES:
        raise PackError(f"{path}: locale must be one of {', '.join(LOCALES)} (got {locale or 'none'})")
    placeholders = dict(base.placeholders) if base else {}
    extra = raw.get("placeholders") or {}
    if not isinstance(extra, dict):
        raise PackError(f"{path}: placeholders must be a mapping of detail → label")
    placeholders.update({str(k): str(v) for k, v in extra.items()})

    def pick(key: str, default: str) -> str:
        value = raw.get(key)
        if value is None:
            return getattr(base, key) if base else default
        return str(value)

    manifest = Manifest(
        name=pick("name", directory.name),
        locale=locale,
        money_pattern=pick("money_pattern", "¥#,##0.00"),
        placeholder=pick("placeholder", "【{label}】"),
        placeholders=placeholders,
        default_signature=pick("default_signature", "{shop}"),
        complete=bool(raw.get("complete", False)),
    )
    for key in ("placeholder",):
        if "{label}" not in getattr(manifest, key):
            raise PackError(f"{path}: {key} must contain {{label}}")
    return manifest


def shipped_pack_dir(locale: str) -> Path:
    return templates_dir() / locale


@lru_cache(maxsize=32)
def _load(locale: str, custom: str | None) -> Pack:
    shipped_dir = shipped_pack_dir(locale)
    shipped = read_manifest(shipped_dir)
    if custom is None:
        return Pack(shipped, (shipped_dir,), make_environment((shipped_dir,)))
    custom_dir = Path(custom)
    manifest = read_manifest(custom_dir, base=shipped)
    dirs = (custom_dir, shipped_pack_dir(manifest.locale))
    return Pack(manifest, dirs, make_environment(dirs))


def load_pack(locale: str | None = None, directory: Path | str | None = None) -> Pack:
    """The shipped pack for locale, or a merchant's pack in directory (falling back to the shipped one).

    With both, the merchant's pack must be of that locale.
    """
    if directory is None:
        if locale not in LOCALES:
            raise PackError(f"no shipped pack for locale {locale!r}; choose one of {', '.join(LOCALES)}")
        return _load(locale, None)
    directory = Path(directory).expanduser().resolve()
    custom_locale = _peek_locale(directory)
    if locale and custom_locale and locale != custom_locale:
        raise PackError(f"{directory / MANIFEST}: the pack is {custom_locale}, but locale {locale} was asked for")
    return _load(custom_locale or locale or "", str(directory))


def _peek_locale(directory: Path) -> str | None:
    path = directory / MANIFEST
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        read_manifest(directory)   # raises the precise error
        raise
    locale = raw.get("locale") if isinstance(raw, dict) else None
    if locale not in LOCALES:
        raise PackError(f"{path}: locale must be one of {', '.join(LOCALES)} (got {locale or 'none'})")
    return locale


def parse_template_name(name: str) -> tuple[str, str] | None:
    match = _TEMPLATE_NAME.match(name)
    return (match["remedy"], match["audience"]) if match else None


def clear_cache() -> None:
    _load.cache_clear()


__all__ = [
    "Manifest", "Pack", "PackError", "load_pack", "read_manifest", "shipped_pack_dir", "parse_template_name",
    "make_environment", "tidy", "PLACEHOLDER_OPEN", "PLACEHOLDER_CLOSE", "clear_cache",
]
