"""Footage and ffmpeg: watcher, probe, hash, thumbnails, recipes, render runner. No Textual here."""
