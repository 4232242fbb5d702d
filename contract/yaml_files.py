"""Reading the project's YAML data files (catalog, rule packs, phrase banks, eval cases) with
one error path: a file that cannot be read or parsed raises the caller's error, naming it."""

from __future__ import annotations

from pathlib import Path

import yaml


def read_yaml(path: Path, error: type[Exception], name: str | None = None) -> object:
    """The parsed content of `path`; an unreadable or malformed file raises `error` with
    `name` (default: the file name) and the reason."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise error(f"{name or path.name}: cannot read: {exc}") from exc
