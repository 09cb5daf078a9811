"""TikTok: the Content Posting API (Direct Post and inbox uploads) and the Display API.

`TikTokConnector` (connector.py) implements platforms.base.Connector for one
creator; chunks.py holds the media-transfer chunk arithmetic, words.py the
privacy levels and the fail reasons in words a person reads.
"""

from platforms.tiktok.connector import TikTokConnector

__all__ = ["TikTokConnector"]
