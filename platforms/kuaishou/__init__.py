"""Kuaishou: the open platform's video publishing (start_upload, upload, publish), photos.

`KuaishouConnector` (connector.py) implements platforms.base.Connector for
one account; upload.py holds the publishing steps (whole or fragmented
upload with resume, the multipart publish, the doubt of a lost answer) and
cover.py the cover image taken from the video.
"""

from platforms.kuaishou.connector import KuaishouConnector

__all__ = ["KuaishouConnector"]
