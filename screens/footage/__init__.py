"""The Footage tab: the paged clip library pane and its rows."""
