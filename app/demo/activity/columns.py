"""The columns of the demo's row tuples, per table, in the order the builders
of app/demo/activity/ (and app/demo/seed.py, app/demo/release.py) fill them.
"""

from __future__ import annotations

PUBLICATION_COLS = (
    "id",
    "post_id",
    "account_id",
    "render_job_id",
    "caption",
    "scheduled_at",
    "state",
    "remote_id",
    "remote_url",
    "published_at",
    "error",
    "created_at",
    "branded_content",
)
JOB_COLS = (
    "id",
    "kind",
    "state",
    "priority",
    "payload_json",
    "idem_key",
    "run_at",
    "attempts",
    "max_attempts",
    "cancel_requested",
    "progress",
    "last_error",
    "created_at",
    "started_at",
    "finished_at",
)
RENDER_COLS = (
    "job_id",
    "recipe",
    "params_json",
    "clip_ids_json",
    "post_id",
    "output_path",
    "argv_json",
    "speed",
    "eta_s",
    "log_tail",
)
INBOX_COLS = (
    "id",
    "account_id",
    "publication_id",
    "parent_id",
    "kind",
    "remote_id",
    "author",
    "body",
    "received_at",
    "status",
    "replied_at",
    "labels",
    "reply_state",
    "source",
)
PARTNER_COLS = ("id", "name", "contact", "email", "notes", "category", "competitors", "created_at")
DEAL_COLS = (
    "id",
    "partner_id",
    "title",
    "fee_minor",
    "currency",
    "status",
    "disclosure",
    "usage_rights",
    "exclusive_from",
    "exclusive_until",
    "contact",
    "promised_json",
    "signed_at",
    "notes",
    "created_at",
    "updated_at",
)
DELIVERABLE_COLS = (
    "id",
    "deal_id",
    "description",
    "due_at",
    "status",
    "platforms",
    "hashtags",
    "mentions",
    "links",
    "disclosure",
    "approval",
    "live_at",
    "created_at",
    "updated_at",
)
DELIVERABLE_POST_COLS = ("deliverable_id", "post_id")
INVOICE_COLS = (
    "id",
    "deal_id",
    "number",
    "amount_minor",
    "currency",
    "issued_at",
    "due_at",
    "paid_at",
    "created_at",
)
SLOT_COLS = ("id", "account_id", "weekday", "local_time")
SAVED_REPLY_COLS = ("id", "name", "body", "created_at")
EVENT_COLS = ("id", "at", "actor", "kind", "entity", "entity_id", "detail_json")
