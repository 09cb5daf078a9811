"""Modal screens: help, item detail, confirmations."""
