"""YouTube: resumable uploads (Shorts by shape and length), channel reads, comments,
numbers, with quota units counted per Pacific day.

`YouTubeConnector` (connector.py) implements platforms.base.Connector for one
channel; upload.py speaks the resumable upload protocol; quota.py counts
units against the workspace's ledger and stops before they run out.
"""

from platforms.youtube.connector import YouTubeConnector

__all__ = ["YouTubeConnector"]
