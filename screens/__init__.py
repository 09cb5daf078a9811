"""One module per tab (a TabPage each) and the modal screens they open."""
