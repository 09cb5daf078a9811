"""One module per tab (a TabPane each) and the modal screens they open."""
