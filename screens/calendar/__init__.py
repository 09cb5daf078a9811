"""The Calendar tab: month/week/agenda/board pane, its model and edits."""
