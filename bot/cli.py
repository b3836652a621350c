"""The `negobot` command."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Callable, Iterable, TextIO

from bot import __version__
from bot.engine.catalogue import DEFAULT_LOCALE, LOCALES, UNKNOWN, CatalogueError
from bot.engine.drafts import TONES, InputError, MerchantSettings
from bot.engine.packs import PackError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A one-line message for the user, and the exit code that goes with it."""

    def __init__(self, message: str, code: int = EXIT_FAILED):
        super().__init__(message)
        self.code = code


def _engine():
    from bot.engine.drafts import default_engine

    return default_engine()


# ---- descriptions from argv or stdin --------------------------------------
def _stdin_lines(stream) -> Iterable[tuple[int, str | None, str | None]]:
    """(line number, text or None, error or None) for each line of a binary stream."""
    for number, raw in enumerate(stream, 1):
        raw = raw.rstrip(b"\r\n")
        try:
            yield number, raw.decode("utf-8"), None
        except UnicodeDecodeError:
            yield number, None, "the line is not UTF-8 text"


def _json_lines(handler: Callable[[str], dict], out: TextIO) -> int:
    if sys.stdin is None:
        raise CommandError("no TEXT given and no standard input to read descriptions from", EXIT_USAGE)
    if sys.stdin.isatty():
        print("Reading descriptions from standard input, one per line (Ctrl-D to finish).", file=sys.stderr)
    failed = 0
    for number, text, error in _stdin_lines(sys.stdin.buffer):
        if error is None:
            try:
                result = handler(text)
            except InputError as exc:
                error = str(exc)
        if error is not None:
            failed += 1
            result = {"error": error, "line": number}
            print(f"negobot: line {number}: {error}", file=sys.stderr)
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return EXIT_USAGE if failed else EXIT_OK


# ---- commands -------------------------------------------------------------
def cmd_classify(args: argparse.Namespace) -> int:
    engine = _engine()
    if args.text is None:
        return _json_lines(engine.classification, sys.stdout)
    result = _checked(lambda: engine.classification(args.text))
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return EXIT_OK
    catalogue = engine.catalogue
    locale = args.locale or DEFAULT_LOCALE
    title = catalogue.scenario(result["scenario"]).title[locale]
    print(f"scenario:     {result['scenario']} — {title}")
    print(f"confidence:   {result['confidence']:.2f}")
    if result["alternatives"]:
        print("alternatives: " + ", ".join(f"{a['scenario']} {a['confidence']:.2f}" for a in result["alternatives"]))
    for also in result["also"]:
        print(f"also:         {also} — {catalogue.scenario(also).title[locale]}")
    for key, value in result["slots"].items():
        print(f"{key + ':':<14}{value}")
    return EXIT_OK


def cmd_draft(args: argparse.Namespace) -> int:
    engine = _engine()
    settings = _checked(lambda: MerchantSettings(shop=args.shop, signature=args.sign, tone=args.tone))
    locale = args.locale if args.locale or args.pack else DEFAULT_LOCALE

    def report(text: str) -> dict:
        return engine.report(text, locale=locale, pack_dir=args.pack, settings=settings)

    if args.text is None:
        _checked(lambda: _preload_pack(locale, args.pack))
        return _json_lines(report, sys.stdout)
    result = _checked(lambda: report(args.text))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return EXIT_OK
    _print_report(engine, result, locale or DEFAULT_LOCALE)
    return EXIT_OK


def _preload_pack(locale: str | None, pack: str | None) -> None:
    from bot.engine.packs import load_pack

    load_pack(locale, pack)


def _print_report(engine, result: dict, locale: str) -> None:
    catalogue = engine.catalogue
    scenario = catalogue.scenario(result["scenario"])
    print(f"# {scenario.title[locale]}  [{scenario.id}, confidence {result['confidence']:.2f}]")
    if result["slots"]:
        print("  " + " · ".join(f"{k}={v}" for k, v in result["slots"].items()))
    if result.get("facts"):
        print("  facts: " + " · ".join(f"{k}={','.join(map(str, v)) if isinstance(v, list) else v}"
                                       for k, v in result["facts"].items()))
    print()
    for line in result["advice"]:
        print(f"- {line}")
    if result["scenario"] == UNKNOWN:
        print("\nTry `negobot scenarios` for the cases negobot drafts for.")
    for option in result.get("remedies", []):
        mark = "→ recommended" if option["recommended"] else "  also"
        print(f"{mark}: {catalogue.remedy(option['remedy']).title[locale]} — {option['why']}")
    for draft in result["drafts"]:
        remedy = catalogue.remedy(draft["remedy"])
        print(f"\n## {remedy.title[locale]} → {draft['audience']}  [{draft['remedy']}]")
        print(draft["text"])
        if draft.get("reading"):
            print(f"\n(to read, not to send — the letter goes to the carrier in Simplified Chinese)\n{draft['reading']}")


def cmd_reply(args: argparse.Namespace) -> int:
    from bot.engine.reply_report import reply_report

    engine = _engine()
    settings = _checked(lambda: MerchantSettings(shop=args.shop, signature=args.sign, tone=args.tone))
    locale = args.locale if args.locale or args.pack else DEFAULT_LOCALE
    kind = "deduction" if args.deduction else "refund"

    def report(text: str) -> dict:
        return reply_report(engine, text, args.scenario, remedy=args.remedy, amount=args.amount, amount_kind=kind,
                            limit=args.limit, locale=locale, pack_dir=args.pack, settings=settings,
                            description=args.description)

    _checked(lambda: reply_report(engine, "好的", args.scenario, remedy=args.remedy, locale=locale, pack_dir=args.pack))
    if args.text is None:
        return _json_lines(report, sys.stdout)
    result = _checked(lambda: report(args.text))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return EXIT_OK
    catalogue = engine.catalogue
    shown = locale or DEFAULT_LOCALE
    print(f"# the buyer: {result['stance']}  [confidence {result['confidence']:.2f}{'' if result['sure'] else ', unsure'}]")
    if result["slots"]:
        print("  " + " · ".join(f"{k}={v}" for k, v in result["slots"].items()))
    step = result["next"]
    print(f"next: {step['move']}" + (f" — {catalogue.remedy(step['remedy']).title[shown]}" if step["remedy"] else "")
          + (f" ({step['amount']:g})" if step["amount"] is not None else ""))
    for line in result["advice"]:
        print(f"- {line}")
    for draft in result["drafts"]:
        print(f"\n## {draft['move']} → {draft['audience']}  [{draft['remedy']}]")
        print(draft["text"])
        if draft.get("reading"):
            print(f"\n(to read, not to send — the platform's reviewers get it in Simplified Chinese)\n{draft['reading']}")
    return EXIT_OK


def cmd_scenarios(args: argparse.Namespace) -> int:
    catalogue = _engine().catalogue
    locale = args.locale or DEFAULT_LOCALE
    if args.json:
        data = [{"scenario": s.id, "title": s.title[locale], "seed": s.seed, "remedies": list(s.remedies)} for s in catalogue.scenarios.values()]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    for s in catalogue.scenarios.values():
        print(f"{s.id:<28} {s.seed:<16} {s.title[locale]}")
        for rid in s.remedies:
            print(f"{'':<30}↳ {rid:<22} {catalogue.remedy(rid).title[locale]}")
    return EXIT_OK


def cmd_packs_lint(args: argparse.Namespace) -> int:
    from bot.engine.lint import lint_pack

    directory = Path(args.dir)
    if not directory.is_dir():
        raise CommandError(f"{directory}: no such folder", EXIT_USAGE)
    findings = lint_pack(directory)
    errors = [f for f in findings if f.fatal]
    for finding in findings:
        print(finding)
    if errors:
        print(f"{directory}: {len(errors)} problem(s)", file=sys.stderr)
        return EXIT_FAILED
    print(f"{directory}: ok")
    return EXIT_OK


def cmd_packs_new(args: argparse.Namespace) -> int:
    from bot.engine.pack_tools import new_pack

    written = _checked(lambda: new_pack(Path(args.dir), args.from_locale))
    print(f"{args.dir}: new {args.from_locale} pack with {len(written)} files — edit the .j2 files, then run `negobot packs lint {args.dir}`")
    return EXIT_OK


def cmd_packs_diff(args: argparse.Namespace) -> int:
    from bot.engine.pack_tools import diff_pack

    report = _checked(lambda: diff_pack(Path(args.dir)))
    print(report.text())
    return EXIT_OK


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.conversation.terminal import run_chat

    store = None
    if args.db:
        from bot.conversation.sqlite_store import SqliteStore, StoreError

        try:
            store = SqliteStore(Path(args.db).expanduser())
        except StoreError as exc:
            raise CommandError(str(exc)) from None
    return run_chat(_engine(), locale=args.locale, shop=args.shop, signature=args.sign, phone=args.phone, store=store)


def cmd_run(args: argparse.Namespace) -> int:
    from bot.telegram.runner import run_bot

    return run_bot(args)


def cmd_wecom(args: argparse.Namespace) -> int:
    from bot.wecom.runner import run_wecom

    return run_wecom(args)


def cmd_gallery(args: argparse.Namespace) -> int:
    from bot.gallery.site import build_gallery

    summary = _checked(lambda: build_gallery(Path(args.out_dir), locales=args.locale or list(LOCALES),
                                             pack_dir=Path(args.pack) if args.pack else None,
                                             shop=args.shop, signature=args.sign))
    print(summary)
    return EXIT_OK


def _money_arg(text: str) -> float:
    try:
        value = float(text.strip().lstrip("¥￥"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an amount in yuan: {text!r}") from None
    if not 0 < value <= 1_000_000:
        raise argparse.ArgumentTypeError(f"an amount between 0 and 1000000 yuan, not {text!r}")
    return value


def _checked(call: Callable):
    try:
        return call()
    except InputError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None
    except (PackError, CatalogueError) as exc:
        raise CommandError(str(exc), EXIT_FAILED) from None


# ---- parser ---------------------------------------------------------------
def _drafting_options(p: argparse.ArgumentParser) -> None:
    """What every drafting command takes: the pack and its language, JSON, the merchant's settings."""
    p.add_argument("--locale", choices=LOCALES, help=f"pack language (default {DEFAULT_LOCALE}, or the --pack's own)")
    p.add_argument("--pack", metavar="DIR", help="a merchant's own pack; it overrides the shipped one template by template")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--shop", help="shop name the drafts use")
    p.add_argument("--sign", help="signature the drafts end with")
    p.add_argument("--tone", choices=TONES, default="warm")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="negobot", description="Drafts for WeChat Shop returns that went wrong: scenario, platform advice, messages to paste.")
    parser.add_argument("--version", action="version", version=f"negobot {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("classify", help="recognise the scenario and details of a description")
    p.add_argument("text", nargs="?", metavar="TEXT", help="the description; without it, one per line on stdin → JSON lines")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--locale", choices=LOCALES, help="language of scenario titles")
    p.set_defaults(func=cmd_classify)

    p = sub.add_parser("draft", help="advice and drafts for a description")
    p.add_argument("text", nargs="?", metavar="TEXT", help="the description; without it, one per line on stdin → JSON lines")
    _drafting_options(p)
    p.set_defaults(func=cmd_draft)

    p = sub.add_parser("reply", help="read the buyer's answer in a case and draft the next move")
    p.add_argument("text", nargs="?", metavar="BUYER_TEXT", help="what the buyer answered; without it, one answer per line on stdin → JSON lines")
    p.add_argument("--scenario", required=True, help="the case's scenario id (see `negobot scenarios`)")
    p.add_argument("--remedy", help="the remedy offered so far (default: the scenario's recommended one)")
    p.add_argument("--amount", type=_money_arg, help="the amount offered so far, in yuan")
    p.add_argument("--deduction", action="store_true", help="--amount and --limit are deductions, not refund amounts")
    p.add_argument("--limit", type=_money_arg, help="the most you will refund or concede in this case (for a deduction: the smallest deduction)")
    p.add_argument("--description", help="the case as you described it, so the drafts name the item and what happened")
    _drafting_options(p)
    p.set_defaults(func=cmd_reply)

    p = sub.add_parser("scenarios", help="list scenarios and their remedies")
    p.add_argument("--locale", choices=LOCALES)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_scenarios)

    packs = sub.add_parser("packs", help="template pack tools").add_subparsers(dest="packs_command", metavar="ACTION")
    packs.required = True
    p = packs.add_parser("lint", help="check a pack; non-zero exit when anything is wrong")
    p.add_argument("dir", metavar="DIR")
    p.set_defaults(func=cmd_packs_lint)
    p = packs.add_parser("new", help="start a pack of your own from a shipped one")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--from", dest="from_locale", choices=LOCALES, default=DEFAULT_LOCALE)
    p.set_defaults(func=cmd_packs_new)
    p = packs.add_parser("diff", help="what a pack overrides and what it lacks")
    p.add_argument("dir", metavar="DIR")
    p.set_defaults(func=cmd_packs_diff)

    p = sub.add_parser("chat", help="the bot's conversation in this terminal")
    p.add_argument("--locale", choices=LOCALES)
    p.add_argument("--shop")
    p.add_argument("--sign")
    p.add_argument("--phone", help="the contact phone carrier letters give (as /phone)")
    p.add_argument("--db", help="keep cases, their history and reminders in this SQLite file (default: in memory, gone when the chat ends)")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("run", help="run the Telegram bot")
    p.add_argument("--token", help="bot token (default: $TELEGRAM_BOT_TOKEN)")
    p.add_argument("--base-url", help="Bot API base URL: a server's root (https://api.telegram.org) or python-telegram-bot's …/bot form (default: $TELEGRAM_BASE_URL or Telegram's)")
    p.add_argument("--db", help="SQLite settings file (default: $NEGOBOT_DB or the user data directory)")
    p.add_argument("--webhook-url", help="public HTTPS URL: receive updates by webhook instead of long polling")
    p.add_argument("--listen", default="127.0.0.1", help="webhook: address to listen on")
    p.add_argument("--port", type=int, default=8443, help="webhook: port to listen on")
    p.add_argument("--secret-token", help="webhook: secret Telegram sends back (default: $TELEGRAM_WEBHOOK_SECRET)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("wecom", help="serve the callback URL of a WeCom (企业微信) self-built app")
    p.add_argument("--corp-id", dest="corp_id", help="CorpID (default: $WECOM_CORP_ID)")
    p.add_argument("--agent-id", dest="agent_id", help="the app's AgentId (default: $WECOM_AGENT_ID)")
    p.add_argument("--secret", help="the app's Secret (default: $WECOM_SECRET)")
    p.add_argument("--token", help="callback Token (default: $WECOM_TOKEN)")
    p.add_argument("--aes-key", dest="aes_key", help="callback EncodingAESKey, 43 characters (default: $WECOM_AES_KEY)")
    p.add_argument("--api-base-url", dest="api_base_url",
                   help="WeCom API base URL (default: $WECOM_API_BASE_URL or https://qyapi.weixin.qq.com)")
    p.add_argument("--db", help="SQLite settings file (default: $NEGOBOT_DB or the user data directory)")
    p.add_argument("--listen", default="127.0.0.1", help="address to listen on (default 127.0.0.1, behind a proxy)")
    p.add_argument("--port", type=int, default=8080, help="port to listen on (default 8080)")
    p.add_argument("--path", default="/wecom", help="callback path (default /wecom)")
    p.set_defaults(func=cmd_wecom)

    p = sub.add_parser("gallery", help="write the static template gallery")
    p.add_argument("out_dir", metavar="OUT_DIR")
    p.add_argument("--locale", choices=LOCALES, action="append", help="a pack to include (repeatable; default all)")
    p.add_argument("--pack", metavar="DIR")
    p.add_argument("--shop")
    p.add_argument("--sign")
    p.set_defaults(func=cmd_gallery)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except CommandError as exc:
        print(f"negobot: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
