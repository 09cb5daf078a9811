"""Composition root: command line, home folder and config, the Textual shell."""
