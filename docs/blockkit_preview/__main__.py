"""`python -m docs.blockkit_preview`: the README's Slack pictures, into docs/images/."""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from docs.blockkit_preview.page import page
from docs.blockkit_preview.samples import build_previews
from docs.blockkit_preview.screenshot import find_chromium, screenshot

IMAGES = Path(__file__).resolve().parents[1] / "images"
WIDTHS = {"home": 900, "modal": 600}  # CSS pixels: a Home tab's pane, a modal over a backdrop


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m docs.blockkit_preview", description=__doc__)
    parser.add_argument("--out", type=Path, default=IMAGES, help="where the PNGs go")
    parser.add_argument("--html", type=Path, help="keep the HTML pages in this folder")
    parser.add_argument("--html-only", action="store_true", help="write the pages, no PNGs")
    parser.add_argument("--chromium", help="the browser to run (default: found on PATH)")
    parser.add_argument("--scale", type=float, default=1.0, help="device pixels per CSS pixel")
    options = parser.parse_args(argv)
    if options.html_only and options.html is None:
        parser.error("--html-only needs --html")
    with tempfile.TemporaryDirectory(prefix="quizbot-preview-") as temporary:
        pages = options.html or Path(temporary)
        pages.mkdir(parents=True, exist_ok=True)
        previews = asyncio.run(build_previews(Path(temporary)))
        chromium = None if options.html_only else find_chromium(options.chromium)
        if chromium is not None:
            options.out.mkdir(parents=True, exist_ok=True)
        for preview in previews:
            html_file = pages / f"{preview.name}.html"
            html_file.write_text(page(preview.view, preview.files), encoding="utf-8")
            if chromium is None:
                print(html_file)
                continue
            png = options.out / f"{preview.name}.png"
            screenshot(chromium, html_file, png, WIDTHS[preview.view["type"]], options.scale)
            print(f"{png} ({png.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
