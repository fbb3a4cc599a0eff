"""`quizbot`: the one command-line entry point. It parses arguments and calls one thing."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import logging
import signal
import sys
from collections.abc import Coroutine, Sequence
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bot.composition import Runtime, build_runtime, open_database

if TYPE_CHECKING:
    from adapters.console.posting import ConsolePostingPort
    from bot.domain.replies import Reply
from bot.config import Settings, load_settings
from bot.content.loader import check_root, load_catalog
from bot.content.problems import ContentError
from bot.content.report import pack_summary
from bot.domain.errors import QuizError
from bot.domain.quoting import clipped
from bot.storage.database_url import shown_database_url

CONNECT_HINT = """\
No Slack or Discord credentials found, so Quizbot runs here in the console.
To connect Slack, set SLACK_BOT_TOKEN (and SLACK_APP_TOKEN for Socket Mode, or
SLACK_SIGNING_SECRET for HTTP mode), or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and
SLACK_SIGNING_SECRET to let many workspaces install it; to connect Discord, set DISCORD_TOKEN.
Put them in the environment or a .env file (see "Settings" in the README)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="quizbot", description="Interview-practice bot.")
    parser.add_argument("--version", action="version", version=f"quizbot {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = sub.add_parser("run", help="start every platform that has credentials (else the console)")
    role = run.add_mutually_exclusive_group()
    role.add_argument(
        "--web", action="store_true", help="only Slack's HTTP endpoint (Procfile web)"
    )
    role.add_argument(
        "--worker", action="store_true", help="scheduler, Socket Mode, Discord (Procfile worker)"
    )
    console = sub.add_parser("console", help="the whole bot in this terminal")
    console.add_argument("--user", help="who you are in the console (default: your login name)")
    content = sub.add_parser("content", help="check or list question packs")
    content_sub = content.add_subparsers(dest="content_command", required=True, metavar="ACTION")
    check = content_sub.add_parser("check", help="validate packs; every problem with file:line")
    check.add_argument("path", nargs="?", type=Path, help="a content folder or one pack folder")
    listing = content_sub.add_parser("list", help="question counts by level and topic")
    listing.add_argument("pack", nargs="?", help="one pack id (default: all)")
    post_due = sub.add_parser(
        "post-due", help="post every daily question that is due now, once, then exit"
    )
    post_due.add_argument(
        "--now",
        type=_instant,
        help="act as if it were this ISO-8601 instant (with offset; default: now)",
    )
    slack = sub.add_parser("slack", help="Slack set-up helpers")
    slack_sub = slack.add_subparsers(dest="slack_command", required=True, metavar="ACTION")
    manifest = slack_sub.add_parser("manifest", help="print a Slack app manifest for the packs")
    manifest.add_argument(
        "--request-url",
        type=_request_url,
        metavar="URL",
        help="public https URL ending in /slack/events for HTTP mode (default: Socket Mode)",
    )
    manifest.add_argument(
        "--distribute",
        action="store_true",
        help="for an app other workspaces install (Add to Slack): adds the OAuth redirect URL "
        "beside --request-url and the uninstall events",
    )
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser("upgrade", help="apply schema migrations")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "slack" and args.distribute and not args.request_url:
        parser.error("--distribute needs --request-url: workspaces install Quizbot over HTTP")
    try:
        settings = load_settings()
    except QuizError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        if args.command == "slack":
            return slack_manifest(settings, args.request_url, distribute=args.distribute)
        if args.command == "content":
            if args.content_command == "check":
                return content_check(args.path or settings.content_root)
            return content_list(settings.content_root, args.pack)
        return asyncio.run(_stoppable(_run_async(args, settings)))
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return 1
    except QuizError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


async def _stoppable(work: Coroutine[object, object, int]) -> int:
    """SIGTERM or SIGINT cancels `work` (whose clean-up then runs) and exits 143 or 130.
    `quizbot run` installs its own handlers once serving; those replace these."""
    task = asyncio.ensure_future(work)
    loop = asyncio.get_running_loop()
    received: list[signal.Signals] = []

    def cancel(sig: signal.Signals) -> None:
        received.append(sig)
        task.cancel()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, cancel, sig)
    try:
        return await task
    except asyncio.CancelledError:
        if not received:
            raise
        return 128 + received[0].value
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


def _version() -> str:
    try:
        return version("quizbot")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "(not installed)"


def _request_url(text: str) -> str:
    """Slack sends HTTP-mode requests only to https, and Quizbot serves them at /slack/events."""
    parts = urlsplit(text)
    if (
        parts.scheme == "https"
        and parts.hostname
        and parts.path.endswith("/slack/events")
        and not parts.query
        and not parts.fragment
    ):
        return text
    raise argparse.ArgumentTypeError(
        f"{clipped(text)!r} is not Quizbot's public Slack endpoint: give an https URL ending in "
        "/slack/events, like https://quiz.example.com/slack/events"
    )


def _instant(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO-8601 time, e.g. 2026-03-02T09:00:00+01:00"
        ) from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} needs a UTC offset, e.g. +00:00 or Z")
    return value.astimezone(UTC)


async def _run_async(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "db":
        return await db_upgrade(settings)
    if args.command == "post-due":
        return await post_due(settings, args.now)
    if args.command == "run":
        if settings.has_slack or settings.has_discord:
            from adapters.platforms import Role, serve

            role = Role.WEB if args.web else Role.WORKER if args.worker else Role.ALL
            return await serve(settings, role=role)
        print(CONNECT_HINT)
        return await console(settings, None)
    return await console(settings, args.user)


def content_check(path: Path) -> int:
    packs, problems = check_root(path)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found.")
        return 1
    total = sum(len(p.questions) for p in packs)
    print(f"OK: {len(packs)} pack(s), {total} question(s).")
    return 0


def slack_manifest(settings: Settings, request_url: str | None, *, distribute: bool = False) -> int:
    from adapters.slack.manifest import manifest

    catalog = load_catalog(settings.content_root)
    printed = manifest(catalog.packs, request_url=request_url, distribute=distribute)
    print(json.dumps(printed, indent=2))
    return 0


def content_list(root: Path, pack_id: str | None) -> int:
    packs, problems = check_root(root)
    if problems:
        raise ContentError(problems)
    chosen = [p for p in packs if pack_id in (None, p.id)]
    if not chosen:
        known = ", ".join(p.id for p in packs)
        print(f"No pack `{pack_id}`. Installed: {known}.", file=sys.stderr)
        return 1
    print("\n\n".join(pack_summary(p) for p in chosen))
    return 0


async def db_upgrade(settings: Settings) -> int:
    engine = await open_database(settings)
    await engine.dispose()
    print(f"Database {shown_database_url(settings.database_url)} is at the newest schema.")
    return 0


async def post_due(settings: Settings, now: datetime | None) -> int:
    """For cron-based hosting: post what is due on every platform with credentials (over REST
    alone: no gateway or Socket Mode session), reveal what is due, send reminders, exit.

    Non-zero when a post failed, or when posts are due on a platform whose credentials are not
    set (they would wait for ever). SIGTERM/SIGINT stop it, handing unsent claims over."""
    from adapters.console.session import PLATFORM
    from adapters.credentials import POSTING_SETTINGS
    from adapters.platforms import posting_ports

    async with posting_ports(settings) as posting:
        runtime = await build_runtime(
            settings,
            ports={PLATFORM: _printing_console_port(), **posting.ports},
            installed=posting.installed,
        )
        try:
            report = await runtime.poster.post_due(now)
            revealed = await runtime.poster.reveal_due(now)
            reminded = await runtime.reminders.send_due(now)
        finally:
            await runtime.aclose()
    for platform in report.by_platform:
        print(f"post-due {platform}: {report.platform_line(platform)}")
    for platform, due in report.unserved.items():
        setting = POSTING_SETTINGS.get(platform, "its credentials")
        print(
            f"post-due {platform}: {due} daily post(s) due, but {setting} is not set",
            file=sys.stderr,
        )
    print(f"post-due: {revealed} answer(s) revealed; {reminded} reminder(s) sent")
    return 1 if report.failed or report.unserved else 0


async def console(settings: Settings, user: str | None) -> int:
    """The terminal is one more platform: a channel called `console`, with its own timers."""
    from adapters.console.render import style_for
    from adapters.console.session import PLATFORM, ConsoleSession
    from adapters.console.timezone import local_timezone

    port = _printing_console_port()
    runtime: Runtime = await build_runtime(settings, ports={PLATFORM: port})
    try:
        session = ConsoleSession(
            quizbot=runtime.quizbot,
            user=user or getpass.getuser(),
            stdin=sys.stdin,
            stdout=sys.stdout,
            style=style_for(sys.stdout),
            echo=not sys.stdin.isatty(),
            timezone=local_timezone(),
            files_dir=Path("data") / "files",
        )
        port.attach(session.show_post)
        await runtime.start_scheduler()
        await session.run()
    finally:
        await runtime.aclose()
    return 0


def _printing_console_port() -> ConsolePostingPort:
    """Posts to the console channel, printed to stdout (a session may attach itself later)."""
    from adapters.console.posting import ConsolePostingPort
    from adapters.console.render import render_line, render_reply, style_for

    style = style_for(sys.stdout)

    def show(header: str, reply: Reply) -> None:
        print(render_line(header, style, dim=True))
        print(render_reply(reply, style))

    return ConsolePostingPort(show)


if __name__ == "__main__":
    sys.exit(main())
