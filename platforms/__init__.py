"""Platform connectors over httpx (publish, comments, metrics). No Textual here."""
