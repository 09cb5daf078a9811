"""Instagram: Reels publishing through resumable containers, comments, replies, insights.

`InstagramConnector` (connector.py) implements platforms.base.Connector for
one professional account (Instagram API with Instagram Login); reels.py holds
the publishing steps (container, rupload, status, publishing limit,
media_publish) and graph.py the Graph error envelope and throttle waits.
"""

from platforms.instagram.connector import InstagramConnector

__all__ = ["InstagramConnector"]
