"""A dev tool that draws the Slack surfaces our code builds, for the README's pictures.

`python -m docs.blockkit_preview` builds the App Home and the modals with the real renderers
(adapters/slack/home_view.py and modals.py) on sample practice in a throwaway SQLite file,
lays each view out as a self-contained HTML page that looks roughly like Slack, and screenshots
it with headless Chromium into docs/images/. It is not Slack's renderer: spacing and fonts are
approximate, but every block, element and word comes from the view we publish.
"""
