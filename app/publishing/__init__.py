"""Publishing, wired: connectors for the workspace's accounts, the publish job handler,
and checking a publish request (shared by `reelroom publish add` and the Publish tab).

Headless: no Textual here.
"""
