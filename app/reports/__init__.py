"""Reports a person can send: a week's summary and one post's, as Markdown or HTML.

`data` gathers the numbers (storage/metrics queries) into plain dataclasses;
`markdown` and `html` write them; `svg` draws the HTML's charts inline (no
fonts, scripts or anything fetched over the network). Headless: no Textual.
"""
