"""`config.toml`: typed settings per section, defaults written with comments, strict reading.

`settings.py` holds one dataclass per section (the single source of each
default, range and description), `reader.py` checks a file against them, and
`defaults.py` writes the commented file a new home starts with.
"""

from app.config.defaults import default_text, write_default
from app.config.reader import ConfigError, load_config, system_timezone
from app.config.settings import AccountConfig, Config

__all__ = [
    "AccountConfig",
    "Config",
    "ConfigError",
    "default_text",
    "load_config",
    "system_timezone",
    "write_default",
]
