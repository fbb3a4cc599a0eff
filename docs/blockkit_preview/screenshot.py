"""Screenshots of the preview pages with headless Chromium, cropped to what the page shows.

Chromium draws into a window of fixed size, taller than any page; the rows below the content
(all the colour of the page's bottom edge) are then cut off, keeping a margin.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from PIL import Image, ImageChops

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TALL = 3000  # px: more than any preview needs
MARGIN = 24  # px kept below the content


class NoBrowser(RuntimeError):
    """No Chromium to take the screenshots with."""


def find_chromium(explicit: str | None = None) -> str:
    for name in (explicit,) if explicit else BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise NoBrowser(
        "No Chromium found: install it (Debian: apt-get install chromium) or pass --chromium."
    )


def screenshot(chromium: str, page: Path, png: Path, width: int, scale: float = 1.0) -> None:
    """`page` drawn `width` CSS pixels wide into `png`, cropped to its content."""
    command = [
        chromium,
        "--headless",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        "--run-all-compositor-stages-before-draw",
        "--virtual-time-budget=3000",
        f"--force-device-scale-factor={scale}",
        f"--window-size={width},{TALL}",
        f"--screenshot={png.resolve()}",
        page.resolve().as_uri(),
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    with Image.open(png) as shot:
        cropped = crop_to_content(shot, round(MARGIN * scale))
    cropped.save(png, optimize=True)


def crop_to_content(image: Image.Image, margin: int) -> Image.Image:
    """The image without the rows below its content, but `margin` of them; the background is
    the colour of the bottom-left pixel."""
    rgb = image.convert("RGB")
    background = rgb.getpixel((0, rgb.height - 1))
    content = ImageChops.difference(rgb, Image.new("RGB", rgb.size, background)).getbbox()
    if content is None:
        return rgb
    return rgb.crop((0, 0, rgb.width, min(rgb.height, content[3] + margin)))
