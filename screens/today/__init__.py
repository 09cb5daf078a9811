"""The Today tab: the triage pane and how its rows are worded."""
