"""The demo workspace: a realistic, deterministic team seeded relative to now."""
