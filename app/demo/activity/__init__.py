"""The demo's activity around the posts: publications, render jobs and brand deals.

Works on the `ContentPlan` from app/demo/posts.py and returns row tuples per
table, plus the published publications the metric generator needs. One
module each: the columns of every table's rows (`*_COLS`, also those of the
inbox, slot, saved-reply and event rows built elsewhere), publications,
deals and renders; all re-exported here.
"""

from __future__ import annotations

from app.demo.activity.columns import (
    DEAL_COLS,
    DELIVERABLE_COLS,
    DELIVERABLE_POST_COLS,
    EVENT_COLS,
    INBOX_COLS,
    INVOICE_COLS,
    JOB_COLS,
    PARTNER_COLS,
    PUBLICATION_COLS,
    RENDER_COLS,
    SAVED_REPLY_COLS,
    SLOT_COLS,
)
from app.demo.activity.deals import DealRows, build_deals
from app.demo.activity.publications import REACH, URLS, MetricPub, build_publications
from app.demo.activity.renders import (
    SUCCESS_TAIL,
    attach_renders,
    build_renders,
    platform_recipe,
)

__all__ = [
    "DEAL_COLS",
    "DELIVERABLE_COLS",
    "DELIVERABLE_POST_COLS",
    "EVENT_COLS",
    "INBOX_COLS",
    "INVOICE_COLS",
    "JOB_COLS",
    "PARTNER_COLS",
    "PUBLICATION_COLS",
    "REACH",
    "RENDER_COLS",
    "SAVED_REPLY_COLS",
    "SLOT_COLS",
    "SUCCESS_TAIL",
    "URLS",
    "DealRows",
    "MetricPub",
    "attach_renders",
    "build_deals",
    "build_publications",
    "build_renders",
    "platform_recipe",
]
