"""The Renders tab: the live render queue pane and its rows."""
