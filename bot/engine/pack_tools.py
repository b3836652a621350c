"""`negobot packs new` and `negobot packs diff`: start a pack of your own, and see what it changes.

A merchant's pack overrides the shipped pack of its locale template by template (docs/catalogue-and-packs.md).
`new_pack` copies a shipped pack as a standalone, complete starting point; `diff_pack` says, per
remedy × audience, whether the pack overrides the shipped template, inherits it or lacks it, which
files match nothing, and which manifest settings it changes.
"""

from __future__ import annotations

import difflib
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.engine.catalogue import LOCALES, Catalogue, default_catalogue
from bot.engine.packs import MANIFEST, TEMPLATE_SUFFIX, PackError, parse_template_name, read_manifest, shipped_pack_dir

MANIFEST_KEYS = ("name", "locale", "money_pattern", "placeholder", "placeholders", "default_signature", "complete")

OVERRIDDEN, UNCHANGED, INHERITED, MISSING = "overridden", "unchanged", "inherited", "missing"


# ---- packs new --------------------------------------------------------------
def new_pack(dest: Path, from_locale: str) -> list[Path]:
    """Copy the shipped pack of from_locale (pack.yaml and every *.j2) into dest; the files written.

    dest must not exist or be an empty folder. The copy's manifest says `complete: true`, so
    `negobot packs lint` holds it to having every remedy × audience itself.
    """
    if from_locale not in LOCALES:
        raise PackError(f"no shipped pack for locale {from_locale!r}; choose one of {', '.join(LOCALES)}")
    dest = Path(dest).expanduser()
    if dest.exists() and not dest.is_dir():
        raise PackError(f"{dest}: exists and is not a folder; choose a new folder for the pack")
    if dest.is_dir() and any(dest.iterdir()):
        raise PackError(f"{dest}: folder is not empty; choose a new or empty folder (nothing was written)")
    source = shipped_pack_dir(from_locale)
    templates = sorted(source.glob(f"*{TEMPLATE_SUFFIX}"))
    manifest_text = (source / MANIFEST).read_text(encoding="utf-8")
    try:
        dest.mkdir(parents=True, exist_ok=True)
        written = []
        for path in templates:
            target = dest / path.name
            shutil.copyfile(path, target)
            written.append(target)
        target = dest / MANIFEST
        target.write_text(_standalone_manifest(manifest_text, from_locale), encoding="utf-8")
        written.append(target)
    except OSError as exc:
        raise PackError(f"{dest}: cannot write the pack ({exc.strerror or exc})") from None
    return written


def _standalone_manifest(text: str, locale: str) -> str:
    """The shipped manifest with `complete: true` (replacing any complete: line)."""
    lines = [line for line in text.splitlines() if not line.startswith("complete:")]
    header = (
        f"# A copy of negobot's shipped {locale} pack: edit the .j2 templates and the settings below,\n"
        "# then check it with `negobot packs lint DIR` and compare it with `negobot packs diff DIR`.\n"
    )
    body = "\n".join(lines).rstrip("\n")
    return (
        f"{header}{body}\n"
        "# complete: this pack has every remedy × audience itself (lint reports any that goes missing).\n"
        "complete: true\n"
    )


# ---- packs diff -------------------------------------------------------------
@dataclass(frozen=True)
class TemplateStatus:
    name: str            # <remedy>.<audience>.j2
    status: str          # overridden | unchanged | inherited | missing
    note: str = ""


@dataclass(frozen=True)
class ManifestChange:
    key: str             # e.g. money_pattern, placeholders.amount
    shipped: object
    pack: object


@dataclass
class PackDiff:
    directory: Path
    locale: str
    name: str
    complete: bool
    templates: list[TemplateStatus] = field(default_factory=list)
    shared: list[TemplateStatus] = field(default_factory=list)      # _*.j2 macro files
    extra: list[tuple[str, str]] = field(default_factory=list)        # (file name, why it matches nothing)
    manifest: list[ManifestChange] = field(default_factory=list)
    unknown_keys: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(t.status == status for t in self.templates)

    def as_dict(self) -> dict[str, object]:
        return {
            "directory": str(self.directory), "locale": self.locale, "name": self.name, "complete": self.complete,
            "templates": [{"name": t.name, "status": t.status, "note": t.note} for t in self.templates],
            "shared": [{"name": t.name, "status": t.status} for t in self.shared],
            "extra": [{"name": n, "note": why} for n, why in self.extra],
            "manifest": [{"key": c.key, "shipped": c.shipped, "pack": c.pack} for c in self.manifest],
            "unknown_keys": list(self.unknown_keys),
        }

    def text(self) -> str:
        out = [f"{self.directory}: {self.name} ({self.locale}) against the shipped {self.locale} pack"
               + (" — complete pack" if self.complete else "")]
        out.append("manifest:")
        if self.manifest:
            for c in self.manifest:
                out.append(f"  overridden  {c.key}: {_show(c.shipped)} → {_show(c.pack)}")
        else:
            out.append("  (same settings as the shipped pack)")
        for key in self.unknown_keys:
            out.append(f"  unknown     {key} (not a pack setting: {', '.join(MANIFEST_KEYS)})")
        out.append(f"templates ({len(self.templates)} remedy × audience):")
        width = max((len(t.name) for t in self.templates), default=0)
        for t in self.templates:
            out.append(f"  {t.status:<11} {t.name:<{width}}" + (f"  {t.note}" if t.note else "").rstrip())
        if self.shared:
            out.append("shared macros:")
            for t in self.shared:
                out.append(f"  {t.status:<11} {t.name}")
        if self.extra:
            out.append("extra files (match no remedy × audience, never used):")
            for name, why in self.extra:
                out.append(f"  {name}: {why}")
        out.append(
            f"summary: {self.count(OVERRIDDEN)} overridden, {self.count(UNCHANGED)} unchanged, "
            f"{self.count(INHERITED)} inherited, {self.count(MISSING)} missing, {len(self.extra)} extra, "
            f"{len(self.manifest)} setting(s) changed"
        )
        return "\n".join(out)


def _show(value: object) -> str:
    return "(unset)" if value is None else repr(value) if isinstance(value, str) else str(value)


def diff_pack(directory: Path, catalogue: Catalogue | None = None) -> PackDiff:
    catalogue = catalogue or default_catalogue()
    directory = Path(directory).expanduser()
    if not directory.is_dir():
        raise PackError(f"{directory}: no such folder")
    manifest = read_manifest(directory)           # PackError names file and line
    shipped_dir = shipped_pack_dir(manifest.locale)
    shipped = read_manifest(shipped_dir)
    report = PackDiff(directory, manifest.locale, manifest.name, manifest.complete)

    raw = yaml.safe_load((directory / MANIFEST).read_text(encoding="utf-8")) or {}
    for key, value in raw.items():
        key = str(key)
        if key not in MANIFEST_KEYS:
            report.unknown_keys.append(key)
        elif key == "placeholders" and isinstance(value, dict):
            for label_key, label in value.items():
                before = shipped.placeholders.get(str(label_key))
                if str(label) != before:
                    report.manifest.append(ManifestChange(f"placeholders.{label_key}", before, str(label)))
        elif key == "complete":
            if bool(value):
                report.manifest.append(ManifestChange("complete", None, True))
        elif str(value) != str(getattr(shipped, key)):
            report.manifest.append(ManifestChange(key, getattr(shipped, key), str(value)))

    expected = catalogue.draft_keys()
    expected_names = {f"{r}.{a}{TEMPLATE_SUFFIX}" for r, a in expected}
    for remedy, audience in expected:
        name = f"{remedy}.{audience}{TEMPLATE_SUFFIX}"
        mine, theirs = directory / name, shipped_dir / name
        if mine.is_file():
            same = theirs.is_file() and mine.read_bytes() == theirs.read_bytes()
            report.templates.append(TemplateStatus(name, UNCHANGED if same else OVERRIDDEN,
                                                   "" if theirs.is_file() or same else "(the shipped pack has none)"))
        elif manifest.complete:
            report.templates.append(TemplateStatus(name, MISSING, "the pack says complete: true; lint requires it"))
        elif theirs.is_file():
            report.templates.append(TemplateStatus(name, INHERITED))
        else:
            report.templates.append(TemplateStatus(name, MISSING, "neither this pack nor the shipped one has it"))

    remedy_ids = sorted(catalogue.remedies)
    for path in sorted(directory.glob(f"*{TEMPLATE_SUFFIX}")):
        name = path.name
        if name in expected_names:
            continue
        if name.startswith("_"):
            theirs = shipped_dir / name
            same = theirs.is_file() and path.read_bytes() == theirs.read_bytes()
            report.shared.append(TemplateStatus(name, UNCHANGED if same else OVERRIDDEN))
            continue
        key = parse_template_name(name)
        if key is None:
            report.extra.append((name, "name is not <remedy>.<audience>.j2"))
            continue
        remedy, audience = key
        if remedy not in catalogue.remedies:
            close = difflib.get_close_matches(remedy, remedy_ids, n=1)
            report.extra.append((name, f"'{remedy}' is not a remedy" + (f"; did you mean {close[0]}?" if close else "")))
        else:
            report.extra.append((name, f"remedy {remedy} has no '{audience}' audience (it has: {', '.join(catalogue.remedy(remedy).audiences)})"))
    for path in sorted(directory.iterdir()):
        if path.is_file() and path.name != MANIFEST and not path.name.endswith(TEMPLATE_SUFFIX) and not path.name.startswith("."):
            report.extra.append((path.name, "not a template (*.j2) or pack.yaml"))
    return report


__all__ = ["new_pack", "diff_pack", "PackDiff", "TemplateStatus", "ManifestChange"]
