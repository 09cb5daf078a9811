"""The Inbox tab: one list of every account's comments, keyboard triage, replies."""
