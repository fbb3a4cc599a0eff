"""The stats picture reads on its own: sharp, labelled, a legend that matches the cells, numbers.

Positions come from the picture's own layout (`calendar_cell`), colours from its palette; text is
found as pixels of the text colours where a label belongs, and compared between pictures.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from PIL import Image

from bot.pictures import (
    BACKGROUND,
    BAR,
    BAR_BACK,
    EMPTY,
    HEIGHT,
    INK,
    SCALE,
    SHADES,
    WIDTH,
    Colour,
    calendar_cell,
    first_day_shown,
    stats_png,
)

TODAY = date(2026, 3, 20)  # a Friday
Row = tuple[str, int, int]
LEVELS: list[Row] = [("Junior", 1, 4), ("Mid", 3, 4), ("Senior", 0, 0)]
SWATCHES = {EMPTY, *SHADES}


def picture(
    *,
    title: str = "Ada: 8 graded, recall 50%",
    calendar: dict[date, int] | None = None,
    today: date = TODAY,
    levels: list[Row] | None = None,
    topics: list[Row] | None = None,
) -> Image.Image:
    png = stats_png(
        title,
        calendar or {},
        today,
        LEVELS if levels is None else levels,
        [("routing", 2, 4)] if topics is None else topics,
    )
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG"
    return image.convert("RGB")


def centre(image: Image.Image, day: date, today: date = TODAY) -> Colour:
    left, top, right, bottom = calendar_cell(today, day)
    pixel = image.getpixel(((left + right) // 2, (top + bottom) // 2))
    assert isinstance(pixel, tuple)
    return pixel[0], pixel[1], pixel[2]


def is_text(pixel: Colour) -> bool:
    """Glyphs and their anti-aliased edges: greys, neither background nor a chart colour."""
    return pixel != BACKGROUND and pixel not in SWATCHES | {BAR, BAR_BACK}


def text_pixels(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    region = image.crop(box)
    return sum(
        count
        for count, colour in region.getcolors(region.width * region.height) or []
        if is_text(colour)
    )


def test_drawn_at_twice_the_layout_size_and_says_so() -> None:
    png = stats_png("Ada", {}, TODAY, LEVELS, [])
    image = Image.open(io.BytesIO(png))
    assert image.size == (WIDTH, HEIGHT) == (1520, 760)
    assert SCALE == 2
    dpi = image.info["dpi"]
    assert (round(dpi[0]), round(dpi[1])) == (144, 144)  # viewers that honour it show 760 x 380


def test_each_day_is_coloured_by_how_many_questions_were_graded() -> None:
    counts = {TODAY - timedelta(days=n): n for n in range(1, 6)}  # 1, 2, 3, 4 and 5 questions
    image = picture(calendar=counts | {TODAY - timedelta(days=6): 0})
    assert [centre(image, TODAY - timedelta(days=n)) for n in range(1, 6)] == [*SHADES, SHADES[-1]]
    assert centre(image, TODAY - timedelta(days=6)) == EMPTY
    assert centre(image, first_day_shown(TODAY)) == EMPTY  # twelve weeks back, nothing graded
    assert centre(image, TODAY + timedelta(days=1)) == BACKGROUND  # Saturday has not come yet


def test_the_legend_shows_each_shade_in_order_with_a_label() -> None:
    image = picture()
    sunday = first_day_shown(TODAY) + timedelta(days=6)
    below_grid = calendar_cell(TODAY, sunday)[3]
    best: list[Colour] = []
    for y in range(below_grid + 1, below_grid + 30 * SCALE):
        seen: list[Colour] = []
        for x in range(WIDTH // 2):
            pixel = image.getpixel((x, y))
            assert isinstance(pixel, tuple)
            colour = (pixel[0], pixel[1], pixel[2])
            if colour in SWATCHES and (not seen or seen[-1] != colour):
                seen.append(colour)
        best = max(best, seen, key=len)
    # "0, 1, 2, 3, 4+" in the calendar's own colours, then the key for today: an outlined cell
    assert best == [EMPTY, *SHADES, EMPTY]
    legend_band = (0, below_grid + 1, WIDTH // 2, below_grid + 30 * SCALE)
    assert text_pixels(image, legend_band) > 200  # the numbers and "today, Fri 20 Mar"


def test_today_is_outlined_and_yesterday_is_not() -> None:
    image = picture(calendar={TODAY: 1, TODAY - timedelta(days=1): 1})
    for day, ring in ((TODAY, INK), (TODAY - timedelta(days=1), BACKGROUND)):
        left, top, right, bottom = calendar_cell(TODAY, day)
        middle = (top + bottom) // 2
        assert image.getpixel((left - 3, middle)) == ring
        assert image.getpixel((right + 2, middle)) == ring


def test_every_weekday_row_has_its_own_label() -> None:
    image = picture()
    labels = []
    for weekday in range(7):
        left, top, _right, bottom = calendar_cell(
            TODAY, first_day_shown(TODAY) + timedelta(weekday)
        )
        box = (0, top, left - 1, bottom)
        assert text_pixels(image, box) > 50, f"no label left of row {weekday}"
        labels.append(image.crop(box).tobytes())
    assert len(set(labels)) == 7  # Mon, Tue, ... Sun: seven different words


@pytest.mark.parametrize(
    ("today", "labelled_weeks"),
    [
        (TODAY, {1, 5, 9}),  # the weeks of Mon 5 Jan, Mon 2 Feb, Mon 2 Mar
        (date(2026, 1, 4), {0, 3, 7}),  # Mon 13 Oct (room before Nov), 3 Nov, 1 Dec
    ],
)
def test_months_are_named_above_the_first_week_that_starts_in_them(
    today: date, labelled_weeks: set[int]
) -> None:
    image = picture(today=today)
    found = set()
    for week in range(12):
        left, top, right, _bottom = calendar_cell(
            today, first_day_shown(today) + timedelta(weeks=week)
        )
        # A label starts at its week's left edge; look at the first half of the column above.
        if text_pixels(image, (left, top - 16 * SCALE, (left + right) // 2, top - 2)):
            found.add(week)
    assert found == labelled_weeks


def test_the_dates_covered_are_written_beside_the_heading() -> None:
    first_row = calendar_cell(TODAY, first_day_shown(TODAY))[1]
    heading = (0, 0, WIDTH // 2, first_row - 20 * SCALE)  # the title and the calendar heading

    def band(image: Image.Image) -> bytes:
        return image.crop(heading).tobytes()

    same_day = band(picture(calendar={TODAY: 3}, levels=[("Mid", 1, 2)]))
    assert band(picture()) == same_day  # other data, same dates: the same words
    assert band(picture(today=TODAY + timedelta(days=7))) != same_day
    assert text_pixels(picture(), heading) > 500


def bars(image: Image.Image, x_range: range) -> list[tuple[int, int, int]]:
    """(top row, bar pixels, bar and background pixels) of each bar in the columns `x_range`."""
    found: list[tuple[int, int, int]] = []
    previous_had_bar = False
    for y in range(HEIGHT):
        row = [image.getpixel((x, y)) for x in x_range]
        filled, total = row.count(BAR), row.count(BAR) + row.count(BAR_BACK)
        if total and not previous_had_bar:
            found.append((y, filled, total))
        previous_had_bar = bool(total)
    return found


def test_recall_bars_are_as_long_as_the_recall_and_carry_their_numbers() -> None:
    image = picture(levels=LEVELS, topics=[])
    levels = bars(image, range(WIDTH // 2))
    assert len(levels) == 3
    (_y1, junior, width), (_y2, mid, _), (_y3, senior, _) = levels
    assert junior / width == pytest.approx(0.25, abs=0.01)
    assert mid / width == pytest.approx(0.75, abs=0.01)
    assert senior == 0  # not graded yet: no bar
    numbers = []
    for top, _filled, _total in levels:
        row = (top, top + 16 * SCALE)
        label_end = next(
            x for x in range(WIDTH // 2) if image.getpixel((x, top + 4)) in (BAR, BAR_BACK)
        )
        assert text_pixels(image, (0, row[0], label_end, row[1])) > 50  # the level's name
        numbers_box = (label_end + width + 1, row[0], WIDTH // 2, row[1])
        assert text_pixels(image, numbers_box) > 50  # "25% (1/4)", "75% (3/4)", "not graded yet"
        numbers.append(image.crop(numbers_box).tobytes())
    assert len(set(numbers)) == 3


def test_topics_are_the_eight_most_practised_in_that_order() -> None:
    # Topic t9 is graded most and knows least; t0 is graded least.
    topics = [(f"t{n}", 10 - n, 10 + n) for n in range(10)]
    image = picture(topics=topics)
    drawn = bars(image, range(WIDTH // 2, WIDTH))
    shown = [round(filled / total, 2) for _y, filled, total in drawn]
    expected = [round((10 - n) / (10 + n), 2) for n in range(9, 1, -1)]  # t9 first, t2 last
    assert shown == pytest.approx(expected, abs=0.01)


def test_a_long_name_is_cut_short_inside_the_picture() -> None:
    image = picture(title="Ada " + "Lovelace " * 40)
    margin = image.crop((WIDTH - 15 * SCALE, 0, WIDTH, 40 * SCALE))
    assert margin.getcolors() == [(margin.width * margin.height, BACKGROUND)]
