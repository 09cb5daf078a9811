"""Numbers in and out: metric syncs (the worker's `metrics` jobs and `reelroom
metrics sync`), CSV imports of the platforms' studio exports, CSV export.

The arithmetic and every query live in storage/metrics; this package wires
connectors and files to it. Headless: no Textual here.
"""
