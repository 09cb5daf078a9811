"""The deals room's headless parts the CLI and the tab share: JSON views of deals and
the sponsor report's formats (Markdown, HTML, CSV)."""
