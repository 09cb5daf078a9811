"""The Scripts tab: the script editor pane, shots, picker and revisions."""
