"""The stats picture: a labelled 12-week calendar and recall by level and by topic, as PNG.

It is drawn at twice its layout size so it stays sharp on high-DPI screens, and it reads on its
own: weekday and month labels, the dates it covers, a legend, today marked, numbers on the bars.
It is drawn on the event loop for every `stats`, so it is cheap: a palette image from the start
(PNG does not filter palette images, which was most of the cost of encoding one this large as
RGB), and each label's glyphs rendered once per process.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, timedelta
from functools import cache, lru_cache

from PIL import Image, ImageDraw, ImageFont

# Layout is in points; every point is SCALE pixels.
SCALE = 2
WIDTH, HEIGHT = 760 * SCALE, 380 * SCALE
WEEKS = 12
CELL, GAP = 18, 4
PITCH = CELL + GAP
TOPICS_SHOWN = 8
CALENDAR_LEFT, CALENDAR_TOP = 20, 50
GRID_LEFT, GRID_TOP = CALENDAR_LEFT + 36, CALENDAR_TOP + 42
# Our own names, so the picture does not change with the process's locale.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

Colour = tuple[int, int, int]
BACKGROUND: Colour = (255, 255, 255)
INK: Colour = (40, 40, 48)
MUTED: Colour = (110, 110, 122)
EMPTY: Colour = (235, 237, 240)
# Questions graded that day: 1, 2, 3, 4 or more.
SHADES: tuple[Colour, ...] = ((198, 228, 139), (123, 201, 111), (35, 154, 59), (25, 97, 39))
BAR: Colour = (88, 101, 242)
BAR_BACK: Colour = (225, 228, 245)
TEXT_COLOURS = (INK, MUTED)
# Text edges are blends of ink and background in this many steps (16 is below what eyes see).
EDGE_STEPS = 16

Row = tuple[str, int, int]  # name, graded "knew it", graded
# A rendered label: palette indices, the shape to paste them through, its top-left offset.
_Label = tuple[Image.Image, Image.Image, tuple[int, int]]


def stats_png(
    title: str,
    calendar: dict[date, int],
    today: date,
    levels: list[Row],
    topics: list[Row],
) -> bytes:
    """`calendar` counts questions graded per local date; `levels` and `topics` are rows of
    (name, knew, graded); topics are drawn most practised first."""
    image = Image.new("P", (WIDTH, HEIGHT), _index(BACKGROUND))
    image.putpalette([value for colour in _palette() for value in colour])
    pen = _Pen(image)
    pen.text((20, 14), _clipped(title, 720, 17), INK, 17)
    _calendar(pen, calendar, today)
    _bars(pen, "Recall by level", levels, left=20, top=278, width=350)
    ranked = sorted(topics, key=lambda t: (-t[2], t[0]))[:TOPICS_SHOWN]
    heading = "Recall by topic"
    if len(topics) > TOPICS_SHOWN:
        heading += f" (the {TOPICS_SHOWN} most practised of {len(topics)})"
    _bars(pen, heading, ranked, left=400, top=50, width=340)
    pen.text((400, 290), "Recall: the share of your grades that were “knew it”.", MUTED, 11)
    pen.text((400, 308), "Beside each bar: recall (knew it / graded).", MUTED, 11)
    buffer = io.BytesIO()
    # Level 3 rather than 6: half the time for a quarter more bytes (about 42 KB).
    # 144 dpi says "twice the usual density", so viewers that honour it show it at layout size.
    image.save(buffer, format="PNG", compress_level=3, dpi=(72 * SCALE, 72 * SCALE))
    return buffer.getvalue()


class _Pen:
    """Draws in layout points on the SCALE-times larger palette image."""

    def __init__(self, image: Image.Image) -> None:
        self.image = image
        self.draw = ImageDraw.Draw(image)

    def text(self, at: tuple[float, float], text: str, colour: Colour, size: int) -> None:
        if not text.strip():
            return
        indices, shape, (left, top) = _label(text, size, colour)
        x, y = round(at[0] * SCALE) + left, round(at[1] * SCALE) + top
        self.image.paste(indices, (x, y), shape)

    def box(
        self,
        corners: tuple[float, float, float, float],
        colour: Colour | None,
        outline: Colour | None = None,
        width: float = 1,
    ) -> None:
        x0, y0, x1, y1 = (round(v * SCALE) for v in corners)
        self.draw.rectangle(
            (x0, y0, x1 - 1, y1 - 1),
            fill=None if colour is None else _index(colour),
            outline=None if outline is None else _index(outline),
            width=round(width * SCALE),
        )

    def length(self, text: str, size: int) -> float:
        return _font(size).getlength(text) / SCALE


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's bundled font at `size` points; loading it decodes the font each time."""
    return ImageFont.load_default(size=size * SCALE)


@lru_cache(maxsize=512)
def _label(text: str, size: int, colour: Colour) -> _Label:
    """`text` as palette indices of its colour's edge blends, the shape to paste them through,
    and the offset of its top-left corner. Labels repeat from picture to picture (weekdays,
    topics, headings), and rendering glyphs was most of the drawing time; 512 labels are a
    few megabytes at most."""
    font = _font(size)
    left, top, right, bottom = (int(v) for v in font.getbbox(text))
    coverage = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(coverage).text((-left, -top), text, fill=255, font=font)
    steps = [_edge_index(colour, round(alpha * (EDGE_STEPS - 1) / 255)) for alpha in range(256)]
    indices = Image.frombytes("P", coverage.size, coverage.point(steps).tobytes())
    shape = coverage.point([0] + [255] * 255).convert("1")
    return indices, shape, (left, top)


def _clipped(text: str, width: float, size: int) -> str:
    font = _font(size)
    if font.getlength(text) <= width * SCALE:
        return text
    while text and font.getlength(text + "…") > width * SCALE:
        text = text[:-1]
    return text.rstrip() + "…"


def first_day_shown(today: date) -> date:
    """The Monday that starts the calendar: WEEKS columns, the last one holding today."""
    return today - timedelta(days=today.weekday() + 7 * (WEEKS - 1))


def calendar_cell(today: date, day: date) -> tuple[int, int, int, int]:
    """The pixel box (left, top, right, bottom; right and bottom excluded) of `day`'s cell in
    the picture drawn on `today`."""
    column, row = divmod((day - first_day_shown(today)).days, 7)
    x, y = GRID_LEFT + column * PITCH, GRID_TOP + row * PITCH
    return x * SCALE, y * SCALE, (x + CELL) * SCALE, (y + CELL) * SCALE


def _calendar(pen: _Pen, calendar: dict[date, int], today: date) -> None:
    """Weeks are columns (Monday on top), the last column holds today; later days stay blank."""
    first = first_day_shown(today)
    pen.text((CALENDAR_LEFT, CALENDAR_TOP), "Questions graded per day", INK, 13)
    years = first.year != today.year
    span = f"{_day(first, year=years)} to {_day(today, year=years)}"
    pen.text((CALENDAR_LEFT + 174, CALENDAR_TOP + 1), span, MUTED, 12)
    for column, name in _month_labels(first):
        pen.text((GRID_LEFT + column * PITCH, CALENDAR_TOP + 22), name, MUTED, 11)
    for row, name in enumerate(WEEKDAYS):
        pen.text((CALENDAR_LEFT, GRID_TOP + row * PITCH + 3), name, MUTED, 11)
    for offset in range((today - first).days + 1):
        day = first + timedelta(days=offset)
        x0, y0, x1, y1 = (v / SCALE for v in calendar_cell(today, day))
        pen.box((x0, y0, x1, y1), _shade(calendar.get(day, 0)))
        if day == today:
            pen.box((x0 - 2, y0 - 2, x1 + 2, y1 + 2), None, INK, width=1.5)
    _legend(pen, today, left=GRID_LEFT, top=GRID_TOP + 7 * PITCH + 6)


def _shade(count: int) -> Colour:
    return EMPTY if count <= 0 else SHADES[min(count, len(SHADES)) - 1]


def _day(day: date, *, year: bool = False) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}" + (f" {day.year}" if year else "")


def _month_labels(first_monday: date) -> list[tuple[int, str]]:
    """A month is named above the first week that starts in it; the first week is named too
    when the next name is far enough away not to collide with it."""
    labels: list[tuple[int, str]] = []
    previous: int | None = None
    for column in range(WEEKS):
        month = (first_monday + timedelta(weeks=column)).month
        if month != previous:
            labels.append((column, MONTHS[month - 1]))
            previous = month
    if len(labels) > 1 and labels[1][0] < 2:
        labels.pop(0)
    return labels


def _legend(pen: _Pen, today: date, *, left: int, top: int) -> None:
    x: float = left
    for label, colour in (("0", EMPTY), *zip(("1", "2", "3", "4+"), SHADES, strict=True)):
        pen.box((x, top, x + 12, top + 12), colour)
        pen.text((x + 16, top - 1), label, MUTED, 11)
        x += 22 + pen.length(label, 11)
    x += 8
    pen.box((x, top, x + 12, top + 12), EMPTY, INK, width=1.5)
    pen.text((x + 16, top - 1), f"today, {WEEKDAYS[today.weekday()]} {_day(today)}", MUTED, 11)


def _bars(pen: _Pen, heading: str, rows: Sequence[Row], *, left: int, top: int, width: int) -> None:
    """One bar per row: the share graded "knew it", with the share and the counts beside it."""
    pen.text((left, top), heading, INK, 13)
    label_width, number_width = 130, 78
    x0, x1 = left + label_width, left + width - number_width
    for index, (name, knew, graded) in enumerate(rows):
        y = top + 24 + index * 24
        pen.text((left, y), _clipped(name, label_width - 8, 12), INK, 12)
        pen.box((x0, y + 1, x1, y + 17), BAR_BACK)
        share = knew / graded if graded else 0.0
        if share:
            pen.box((x0, y + 1, x0 + max(1, round((x1 - x0) * share)), y + 17), BAR)
        numbers = f"{share:.0%} ({knew}/{graded})" if graded else "not graded yet"
        pen.text((x1 + 8, y + 1), numbers, MUTED, 11)
    if not rows:
        pen.text((left, top + 24), "Nothing graded yet.", MUTED, 12)


def _edges(ink: Colour) -> list[Colour]:
    """From background to `ink` in EDGE_STEPS: the colours of anti-aliased text edges."""
    last = EDGE_STEPS - 1
    return [
        (
            round(BACKGROUND[0] + (ink[0] - BACKGROUND[0]) * step / last),
            round(BACKGROUND[1] + (ink[1] - BACKGROUND[1]) * step / last),
            round(BACKGROUND[2] + (ink[2] - BACKGROUND[2]) * step / last),
        )
        for step in range(EDGE_STEPS)
    ]


@cache
def _palette() -> tuple[Colour, ...]:
    """Every colour the picture uses: the background, each text colour's edge blends in order
    (the last is the text colour itself), then the flat colours."""
    edges = [colour for ink in TEXT_COLOURS for colour in _edges(ink)[1:]]
    return (BACKGROUND, *edges, EMPTY, *SHADES, BAR, BAR_BACK)


def _edge_index(ink: Colour, step: int) -> int:
    """The palette entry of `ink` blended `step` steps from the background."""
    if step == 0:
        return 0
    return 1 + TEXT_COLOURS.index(ink) * (EDGE_STEPS - 1) + step - 1


def _index(colour: Colour) -> int:
    return _palette().index(colour)
