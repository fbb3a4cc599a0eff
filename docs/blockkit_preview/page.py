"""A Block Kit view as a self-contained HTML page that looks roughly like Slack.

Draws the blocks and elements our views use (header, section with an accessory, context,
divider, actions, image, input; buttons, selects, radio buttons, checkboxes, time picker,
number and text inputs) and the frame around them: the App Home's tab bar, or a modal's
title bar with its Cancel and submit buttons. A type it does not know raises `Unsupported`,
so a new kind of block shows up as an error here rather than as a gap in the picture.
An image block's `slack_file` is drawn from the PNG given for its id, as a data: URL.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable, Mapping
from typing import Any

APP_NAME = "Quizbot"

_FENCE = re.compile(r"```\n?(.*?)\n?```", re.S)
_CODE = re.compile(r"`([^`\n]+)`")
_LINK = re.compile(r"<([^<>|\s]+)(?:\|([^<>]*))?>")
_BOLD = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w_])")
_STRIKE = re.compile(r"(?<![\w~])~(?!\s)([^~\n]+?)(?<!\s)~(?![\w~])")
_EMOJI = re.compile(r":([a-z0-9_+-]+):")
_SLOT = re.compile(r"\x00(\d+)\x00")
# Drawn with CSS, so the pictures need no colour emoji font; others stay as typed.
_EMOJI_HTML = {
    "white_check_mark": '<span class="emoji check">\u2713</span>',
    "warning": '<span class="emoji warning">\u26a0</span>',
}
_CLOCK = (
    '<svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="6.5"/>'
    '<path d="M8 4.5V8l2.5 1.5"/></svg>'
)


class Unsupported(ValueError):
    """A block, element or view type this page does not draw."""


def page(view: Mapping[str, Any], files: Mapping[str, bytes] | None = None) -> str:
    """The whole HTML document for a `home` or `modal` view."""
    body = _Blocks(files or {}).render(view["blocks"])
    if view["type"] == "home":
        frame = (
            f'<div class="home">{_app_bar()}'
            '<nav class="tabs"><span class="tab on">Home</span><span class="tab">Messages</span>'
            f'<span class="tab">About</span></nav><main class="surface">{body}</main></div>'
        )
    elif view["type"] == "modal":
        submit = view.get("submit")
        buttons = _button_html(_text(view.get("close")) or "Cancel", "")
        if submit:
            buttons += _button_html(_text(submit), "primary")
        frame = (
            '<div class="backdrop"><div class="modal"><header class="modal-head">'
            f'<span class="app-icon">{APP_NAME[0]}</span><h1>{_plain(view["title"])}</h1>'
            f'<span class="close" aria-label="Close">\u00d7</span></header>'
            f'<main class="surface">{body}</main><footer class="modal-foot">{buttons}</footer>'
            "</div></div>"
        )
    else:
        raise Unsupported(f"a view of type {view['type']!r}")
    title = _text(view.get("title")) or APP_NAME
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head>"
        f'<body class="{view["type"]}-page">{frame}</body></html>'
    )


def mrkdwn(text: str) -> str:
    """Slack's mrkdwn as HTML: *bold*, _italic_, ~strike~, `code`, ```blocks```, <url|links>,
    `> ` quotes and line breaks. The text comes escaped as Slack wants (&amp; &lt; &gt;)."""
    slots: list[str] = []

    def aside(markup: str) -> str:
        slots.append(markup)
        return f"\x00{len(slots) - 1}\x00"

    text = _FENCE.sub(lambda m: aside(f"<pre>{_unescaped(m.group(1))}</pre>"), text)
    text = _CODE.sub(lambda m: aside(f"<code>{_unescaped(m.group(1))}</code>"), text)
    text = _LINK.sub(lambda m: aside(_link(m.group(1), m.group(2))), text)
    text = _unescaped(text)
    text = _BOLD.sub(r"<b>\1</b>", text)
    text = _ITALIC.sub(r"<i>\1</i>", text)
    text = _STRIKE.sub(r"<s>\1</s>", text)
    text = _EMOJI.sub(lambda m: _EMOJI_HTML.get(m.group(1), m.group(0)), text)
    lines = [
        f'<span class="quote">{line[5:]}</span>' if line.startswith("&gt; ") else line
        for line in text.split("\n")
    ]
    return _SLOT.sub(lambda m: slots[int(m.group(1))], "<br>".join(lines))


class _Blocks:
    """Blocks to HTML, with the PNGs that image blocks refer to."""

    def __init__(self, files: Mapping[str, bytes]) -> None:
        self._files = files
        self._blocks: dict[str, Callable[[Mapping[str, Any]], str]] = {
            "header": lambda b: f'<h2 class="header">{_plain(b["text"])}</h2>',
            "context": self._context,
            "divider": lambda b: '<hr class="divider">',
            "section": self._section,
            "actions": lambda b: f'<div class="actions">{self._elements(b["elements"])}</div>',
            "image": self._image,
            "input": self._input,
        }

    def render(self, blocks: list[Mapping[str, Any]]) -> str:
        return "".join(self._block(block) for block in blocks)

    def _block(self, block: Mapping[str, Any]) -> str:
        draw = self._blocks.get(block["type"])
        if draw is None:
            raise Unsupported(f"a block of type {block['type']!r}")
        return draw(block)

    def _context(self, block: Mapping[str, Any]) -> str:
        parts = []
        for element in block["elements"]:
            if element["type"] == "image":
                parts.append(f'<img src="{html.escape(element["image_url"])}" alt="">')
            else:
                parts.append(f"<span>{_text_html(element)}</span>")
        return f'<div class="context">{"".join(parts)}</div>'

    def _section(self, block: Mapping[str, Any]) -> str:
        text = f'<div class="text">{_text_html(block["text"])}</div>' if "text" in block else ""
        fields = "".join(f"<div>{_text_html(f)}</div>" for f in block.get("fields", ()))
        if fields:
            text += f'<div class="fields">{fields}</div>'
        accessory = block.get("accessory")
        aside = f'<div class="accessory">{_element(accessory)}</div>' if accessory else ""
        return f'<div class="section"><div class="main">{text}</div>{aside}</div>'

    def _elements(self, elements: list[Mapping[str, Any]]) -> str:
        return "".join(_element(element) for element in elements)

    def _image(self, block: Mapping[str, Any]) -> str:
        if "slack_file" in block:
            file_id = block["slack_file"]["id"]
            if file_id not in self._files:
                raise Unsupported(f"an image of file {file_id!r}, which no PNG was given for")
            data = base64.b64encode(self._files[file_id]).decode("ascii")
            source = f"data:image/png;base64,{data}"
        else:
            source = block["image_url"]
        title = block.get("title")
        caption = f'<div class="image-title">{_plain(title)} \u25be</div>' if title else ""
        alt = html.escape(block["alt_text"])
        return (
            f'<figure class="image">{caption}<img src="{html.escape(source)}" alt="{alt}"></figure>'
        )

    def _input(self, block: Mapping[str, Any]) -> str:
        optional = ' <span class="optional">(optional)</span>' if block.get("optional") else ""
        hint = f'<div class="hint">{_plain(block["hint"])}</div>' if "hint" in block else ""
        return (
            f'<div class="input"><label>{_plain(block["label"])}{optional}</label>'
            f"{_element(block['element'], wide=True)}{hint}</div>"
        )


def _element(element: Mapping[str, Any], *, wide: bool = False) -> str:
    kind = element["type"]
    width = " wide" if wide else ""
    if kind == "button":
        return _button_html(_text(element["text"]), element.get("style", ""))
    if kind in ("static_select", "external_select"):
        chosen = element.get("initial_option")
        shown = (
            _plain(chosen["text"])
            if chosen
            else f'<span class="placeholder">{_plain(element["placeholder"])}</span>'
        )
        return (
            f'<span class="box select{width}"><span>{shown}</span><span class="caret">'
            "\u25be</span></span>"
        )
    if kind in ("radio_buttons", "checkboxes"):
        picked = element.get("initial_options") or [element.get("initial_option")]
        values = {option["value"] for option in picked if option}
        mark = "radio" if kind == "radio_buttons" else "checkbox"
        rows = "".join(
            f'<div class="choice"><span class="{mark}{" on" if o["value"] in values else ""}">'
            f"</span>{_text_html(o['text'])}</div>"
            for o in element["options"]
        )
        return f'<div class="choices">{rows}</div>'
    if kind == "timepicker":
        time = element.get("initial_time")
        shown = html.escape(time) if time else '<span class="placeholder">Select time</span>'
        return f'<span class="box time">{_CLOCK}<span>{shown}</span></span>'
    if kind in ("number_input", "plain_text_input"):
        value = element.get("initial_value", "")
        placeholder = element.get("placeholder")
        if not value and placeholder:
            shown = f'<span class="placeholder">{_plain(placeholder)}</span>'
        else:
            shown = html.escape(value)
        multiline = " multiline" if element.get("multiline") else ""
        return f'<span class="box text{width}{multiline}">{shown}</span>'
    raise Unsupported(f"an element of type {kind!r}")


def _button_html(label: str, style: str) -> str:
    classes = f"button {html.escape(style)}" if style else "button"
    return f'<span class="{classes}">{html.escape(label)}</span>'


def _app_bar() -> str:
    return (
        f'<header class="app-bar"><span class="app-icon">{APP_NAME[0]}</span>'
        f"<b>{APP_NAME}</b></header>"
    )


def _text_html(text: Mapping[str, Any]) -> str:
    return mrkdwn(text["text"]) if text["type"] == "mrkdwn" else _plain(text)


def _plain(text: Mapping[str, Any]) -> str:
    if text["type"] != "plain_text":
        raise Unsupported(f"a text of type {text['type']!r} where plain_text goes")
    return html.escape(text["text"]).replace("\n", "<br>")


def _text(text: Mapping[str, Any] | None) -> str:
    return str(text["text"]) if text else ""


def _unescaped(text: str) -> str:
    """Slack's three escapes undone, then the text escaped for HTML."""
    plain = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return html.escape(plain, quote=False)


def _link(target: str, label: str | None) -> str:
    shown = _unescaped(label) if label else _unescaped(target)
    if target.startswith(("#", "@", "!")):  # channels, people, special mentions
        return f'<span class="mention">{shown}</span>'
    return f'<a href="{html.escape(target)}">{shown}</a>'


CSS = """
* { box-sizing: border-box; }
html, body { margin: 0; }
body { font: 15px/1.47 "Lato", "Liberation Sans", "DejaVu Sans", sans-serif; color: #1d1c1d;
  background: #ffffff; -webkit-font-smoothing: antialiased; }
b { font-weight: 700; }
code { font: 12px "Liberation Mono", "DejaVu Sans Mono", monospace; color: #c01343;
  background: #f6f6f6; border: 1px solid #dddddd; border-radius: 3px; padding: 1px 3px; }
pre { font: 12px/1.5 "Liberation Mono", "DejaVu Sans Mono", monospace; background: #f8f8f8;
  border: 1px solid #dddddd; border-radius: 4px; padding: 8px; margin: 4px 0;
  white-space: pre-wrap; }
a { color: #1264a3; text-decoration: none; }
.mention { color: #1264a3; background: #e8f5fa; border-radius: 3px; padding: 0 2px; }
.quote { display: inline-block; border-left: 4px solid #dddddd; padding-left: 10px; }
.emoji { display: inline-block; width: 18px; height: 18px; border-radius: 4px;
  text-align: center; font: bold 14px/18px "DejaVu Sans", sans-serif; vertical-align: -3px; }
.emoji.check { background: #2eb67d; color: #ffffff; }
.emoji.warning { color: #e8a200; font-size: 17px; }

.app-bar { display: flex; align-items: center; gap: 10px; padding: 14px 20px 10px;
  font-size: 18px; }
.app-icon { display: inline-flex; align-items: center; justify-content: center; width: 28px;
  height: 28px; border-radius: 6px; background: #4a154b; color: #ffffff; font-weight: 700;
  font-size: 16px; }
.tabs { display: flex; gap: 24px; padding: 0 20px; border-bottom: 1px solid #dddddd; }
.tab { padding: 6px 0 8px; color: #616061; font-size: 14px; font-weight: 700; }
.tab.on { color: #1d1c1d; border-bottom: 2px solid #1264a3; }
.home .surface { padding: 12px 20px 8px; max-width: 860px; }

.header { font-size: 18px; font-weight: 900; margin: 14px 0 6px; line-height: 1.33; }
.context { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; font-size: 13px;
  color: #616061; margin: 4px 0; }
.context img { width: 20px; height: 20px; border-radius: 4px; }
.divider { border: 0; border-top: 1px solid #dddddd; margin: 16px 0; }
.section { display: flex; gap: 16px; align-items: flex-start; margin: 8px 0; }
.section .main { flex: 1; min-width: 0; }
.section .accessory { flex: none; max-width: 50%; }
.fields { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 16px; margin-top: 4px; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 10px 0; }
.image { margin: 12px 0; }
.image-title { font-size: 13px; color: #616061; margin-bottom: 6px; }
.image img { display: block; width: 100%; max-width: 640px; border: 1px solid #e8e8e8;
  border-radius: 8px; }

.button { display: inline-flex; align-items: center; height: 32px; padding: 0 12px;
  font-size: 14px; font-weight: 700; border: 1px solid rgba(29, 28, 29, 0.3);
  border-radius: 4px; background: #ffffff; white-space: nowrap; }
.button.primary { background: #007a5a; border-color: #007a5a; color: #ffffff; }
.button.danger { background: #e01e5a; border-color: #e01e5a; color: #ffffff; }
.box { display: inline-flex; align-items: center; gap: 8px; min-height: 36px; padding: 0 12px;
  border: 1px solid rgba(29, 28, 29, 0.3); border-radius: 4px; background: #ffffff;
  font-size: 15px; }
.box.wide { display: flex; width: 100%; }
.select { min-width: 220px; justify-content: space-between; }
.caret { color: #616061; font-size: 12px; }
.time { min-width: 130px; }
.icon { width: 16px; height: 16px; fill: none; stroke: #616061; stroke-width: 1.5;
  stroke-linecap: round; }
.text.multiline { align-items: flex-start; min-height: 112px; padding-top: 8px; }
.placeholder { color: #868686; }
.choices { display: flex; flex-direction: column; gap: 6px; padding: 2px 0; }
.choice { display: flex; align-items: center; gap: 8px; font-size: 15px; }
.radio, .checkbox { flex: none; width: 16px; height: 16px; border: 1px solid #868686;
  background: #ffffff; position: relative; }
.radio { border-radius: 50%; }
.checkbox { border-radius: 4px; }
.radio.on, .checkbox.on { background: #1264a3; border-color: #1264a3; }
.radio.on::after { content: ""; position: absolute; inset: 4px; border-radius: 50%;
  background: #ffffff; }
.checkbox.on::after { content: "\\2713"; position: absolute; inset: 0; color: #ffffff;
  font: bold 11px/14px "DejaVu Sans", sans-serif; text-align: center; }

.input { margin: 16px 0; }
.input label { display: block; font-weight: 700; margin-bottom: 6px; }
.optional { font-weight: 400; color: #616061; }
.hint { font-size: 13px; color: #616061; margin-top: 6px; }

.modal-page, .backdrop { background: #5e5d60; }
.backdrop { padding: 32px 40px 8px; }
.modal { width: 520px; margin: 0 auto; background: #ffffff; border-radius: 8px;
  box-shadow: 0 18px 48px rgba(0, 0, 0, 0.35); overflow: hidden; }
.modal-head { display: flex; align-items: center; gap: 10px; padding: 18px 24px 6px; }
.modal-head h1 { flex: 1; margin: 0; font-size: 22px; font-weight: 900; }
.modal-head .close { font-size: 26px; line-height: 1; color: #616061; }
.modal .surface { padding: 4px 24px 8px; }
.modal-foot { display: flex; justify-content: flex-end; gap: 12px; padding: 18px 24px;
  border-top: 1px solid #dddddd; }
.modal-foot .button { height: 36px; padding: 0 16px; font-size: 15px; }
"""
