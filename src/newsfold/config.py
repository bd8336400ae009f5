"""Typed settings for every component, resolved as defaults < config file < environment < flags.

Each component owns a frozen options dataclass that validates itself (``CleanOptions``,
``CopyOptions``, ``StoryOptions``, ``DigestOptions``, ``IngestOptions``); ``Settings`` bundles
them with the pipeline's own choices. Nothing is read at import time: ``load_settings`` reads
the file and the environment when it is called.

Config file (TOML), every key optional::

    db = "newsfold.db"
    stages = ["clean", "copies", "stories", "digest"]
    [copies]
    num_perm = 128
    [stories]
    ...

Environment: ``NEWSFOLD_CONFIG`` (path of the file), ``NEWSFOLD_DB`` (the store),
``NEWSFOLD_STAGES`` (comma-separated).
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .clean import CleanOptions
from .copies import CopyOptions
from .digest import DigestOptions
from .errors import ConfigError
from .ingest import IngestOptions
from .stories import StoryOptions

STAGES: tuple[str, ...] = ("clean", "copies", "stories", "digest")
DEFAULT_DB = "newsfold.db"
DEFAULT_CONFIG_FILE = "newsfold.toml"


def parse_stages(stages: str | Sequence[str]) -> tuple[str, ...]:
    """Validate a stage list; it must follow pipeline order and digest needs stories.

    >>> parse_stages("clean,copies")
    ('clean', 'copies')
    >>> parse_stages("copies")
    ('copies',)
    """
    names = [s.strip() for s in (stages.split(",") if isinstance(stages, str) else stages)]
    names = [s for s in names if s]
    if not names:
        raise ConfigError("no stage given: pick from " + ",".join(STAGES))
    unknown = [s for s in names if s not in STAGES]
    if unknown:
        raise ConfigError(f"unknown stage {unknown[0]!r}: pick from " + ",".join(STAGES))
    if len(set(names)) != len(names):
        raise ConfigError("a stage is named twice in --stages")
    if [STAGES.index(s) for s in names] != sorted(STAGES.index(s) for s in names):
        raise ConfigError("stages must be in pipeline order: " + ",".join(STAGES))
    if "digest" in names and "stories" not in names:
        raise ConfigError("the digest stage needs the stories stage: add 'stories'")
    return tuple(names)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a pipeline run needs to know, validated."""

    stages: tuple[str, ...] = STAGES
    db: str = DEFAULT_DB
    batch_size: int = 500
    # Processes that build digests (0: one per core); the result does not depend on it.
    workers: int = 0
    ingest: IngestOptions = field(default_factory=IngestOptions)
    clean: CleanOptions = field(default_factory=CleanOptions)
    copies: CopyOptions = field(default_factory=CopyOptions)
    stories: StoryOptions = field(default_factory=StoryOptions)
    digest: DigestOptions = field(default_factory=DigestOptions)

    def __post_init__(self) -> None:
        object.__setattr__(self, "stages", parse_stages(self.stages))
        if self.batch_size < 1:
            raise ConfigError(f"batch_size must be >= 1 (got {self.batch_size})")
        if not isinstance(self.workers, int) or isinstance(self.workers, bool) or self.workers < 0:
            raise ConfigError(f"workers must be an integer >= 0 (got {self.workers!r})")

    def runs(self, stage: str) -> bool:
        return stage in self.stages


_SECTIONS: dict[str, type[Any]] = {
    "ingest": IngestOptions,
    "clean": CleanOptions,
    "copies": CopyOptions,
    "stories": StoryOptions,
    "digest": DigestOptions,
}


def _options(kind: type[Any], section: str, values: Mapping[str, Any]) -> Any:
    known = {f.name for f in dataclasses.fields(kind)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(
            f"unknown setting [{section}] {unknown[0]}: known ones are " + ", ".join(sorted(known))
        )
    try:
        return kind(**values)
    except TypeError as exc:
        raise ConfigError(f"bad value in [{section}]: {exc}") from exc


def load_settings(
    config_file: str | os.PathLike[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Resolve settings: defaults < config file < environment < ``overrides`` (the flags).

    The file is ``config_file``, else ``$NEWSFOLD_CONFIG``, else ``./newsfold.toml`` if present.
    """
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    path = config_file or env.get("NEWSFOLD_CONFIG")
    if path is None and Path(DEFAULT_CONFIG_FILE).is_file():
        path = DEFAULT_CONFIG_FILE
    if path is not None:
        try:
            with open(path, "rb") as handle:
                values = tomllib.load(handle)
        except FileNotFoundError as exc:
            raise ConfigError(f"config file not found: {path}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
    if "NEWSFOLD_DB" in env:
        values["db"] = env["NEWSFOLD_DB"]
    if "NEWSFOLD_STAGES" in env:
        values["stages"] = env["NEWSFOLD_STAGES"]
    if "NEWSFOLD_WORKERS" in env:
        try:
            values["workers"] = int(env["NEWSFOLD_WORKERS"])
        except ValueError as exc:
            raise ConfigError(
                f"NEWSFOLD_WORKERS must be an integer, got {env['NEWSFOLD_WORKERS']!r}"
            ) from exc
    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = value
    top_level = {"stages", "db", "batch_size", "workers"}
    unknown = sorted(set(values) - top_level - set(_SECTIONS))
    if unknown:
        raise ConfigError(f"unknown setting {unknown[0]!r} in the config file")
    kwargs: dict[str, Any] = {k: values[k] for k in top_level if k in values}
    for section, kind in _SECTIONS.items():
        section_values = values.get(section, {})
        if not isinstance(section_values, Mapping):
            raise ConfigError(f"[{section}] must be a table of settings")
        kwargs[section] = _options(kind, section, section_values)
    return Settings(**kwargs)
