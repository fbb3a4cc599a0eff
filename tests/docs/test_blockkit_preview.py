"""The README pictures' tool without a browser: the views it builds are the ones our Slack
code renders, and its page draws every block and element they use, words and picture included."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from docs.blockkit_preview.page import Unsupported, mrkdwn, page
from docs.blockkit_preview.samples import PICTURE_FILE, build_previews
from docs.blockkit_preview.screenshot import crop_to_content


async def test_every_sample_view_is_drawn(tmp_path: Path) -> None:
    previews = {p.name: p for p in await build_previews(tmp_path)}
    assert list(previews) == ["slack-home", "slack-subscribe-modal", "slack-answer-modal"]
    pages = {name: page(p.view, p.files) for name, p in previews.items()}

    home = pages["slack-home"]
    assert previews["slack-home"].files[PICTURE_FILE].startswith(b"\x89PNG")
    assert home.count('src="data:image/png;base64,') == 1
    assert re.search(r"<b>\d+ days</b> now · best \d+ days", home)
    assert '<span class="emoji check">' in home  # the notice of the level just changed
    for label in ("Ask me a question", "Review now"):
        assert f'<span class="button primary">{label}</span>' in home
    assert "<span>Mid</span>" in home
    assert "<span>Europe/Berlin</span>" in home
    assert home.count('class="radio on"') == 1  # streak reminders: off

    subscribe = pages["slack-subscribe-modal"]
    assert "<h1>Daily question</h1>" in subscribe
    assert subscribe.count('class="checkbox on"') == 5  # weekdays
    assert "<span>09:30</span>" in subscribe
    assert "<span>17:00</span>" in subscribe
    assert "(optional)</span>" in subscribe
    assert '<span class="button primary">Save</span>' in subscribe
    assert '<span class="button">Cancel</span>' in subscribe

    answer = pages["slack-answer-modal"]
    assert "<b>24. How do you write custom validators" in answer
    assert 'class="box text wide multiline"' in answer
    assert '<span class="button primary">Check my answer</span>' in answer


def test_mrkdwn_becomes_html_and_stays_escaped() -> None:
    text = (
        "*Due* _now_ ~old~ `a*b*c` &lt;b&gt; &amp; <https://example.com|the docs>\n"
        "&gt; quoted :warning: :tada:"
    )
    assert mrkdwn(text) == (
        "<b>Due</b> <i>now</i> <s>old</s> <code>a*b*c</code> &lt;b&gt; &amp; "
        '<a href="https://example.com">the docs</a><br>'
        '<span class="quote">quoted <span class="emoji warning">\u26a0</span> :tada:</span>'
    )
    assert mrkdwn("snake_case_name and 2*3*4") == "snake_case_name and 2*3*4"
    assert mrkdwn("```\nif a &lt; b:\n    *x*\n```") == "<pre>if a &lt; b:\n    *x*</pre>"


@pytest.mark.parametrize(
    "block",
    [
        {"type": "rich_text", "elements": []},
        {"type": "image", "slack_file": {"id": "F404"}, "alt_text": "gone"},
        {"type": "section", "text": {"type": "mrkdwn", "text": "x"},
         "accessory": {"type": "datepicker", "action_id": "d"}},
    ],
)  # fmt: skip
def test_what_the_page_cannot_draw_is_refused(block: dict[str, object]) -> None:
    view = {"type": "modal", "title": {"type": "plain_text", "text": "T"}, "blocks": [block]}
    with pytest.raises(Unsupported):
        page(view, {})


def test_a_screenshot_is_cropped_below_its_content() -> None:
    shot = Image.new("RGB", (100, 300), "white")
    ImageDraw.Draw(shot).rectangle((10, 10, 60, 49), fill="black")
    assert crop_to_content(shot, 5).size == (100, 55)
    assert crop_to_content(Image.new("RGB", (100, 300), "white"), 5).size == (100, 300)
