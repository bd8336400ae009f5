"""The ``newsfold`` command: run, ingest, stories, show, clean.

Exit codes: 0 success; 1 runtime error (one line ``error: ...`` on stderr, the traceback only
with ``--debug``); 2 usage error. A bad page is reported and skipped, never the end of a run.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click

from . import __version__
from .api import clean_file, ingest, open_index, run
from .config import Settings, load_settings, parse_stages
from .errors import ConfigError, NewsfoldError
from .index import Index
from .kernels import describe as describe_kernels

F = TypeVar("F", bound=Callable[..., Any])


def _settings(config: str | None, **flags: Any) -> Settings:
    return load_settings(config, overrides=flags)


def _stages(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    try:
        return parse_stages(value)
    except ConfigError as exc:
        raise click.BadParameter(str(exc)) from exc


def handle_errors(func: F) -> F:
    """NewsfoldError -> ``error: ...`` and exit 1; ``--debug`` shows the traceback instead."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        try:
            return func(*args, **kwargs)
        except (NewsfoldError, OSError) as exc:
            if ctx.find_root().params.get("debug"):
                raise
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            click.echo(f"error: {message}", err=True)
            ctx.exit(1)

    return wrapper  # type: ignore[return-value]


@contextmanager
def _progress(label: str, enabled: bool) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr when it is a terminal; nothing otherwise."""
    if not (enabled and sys.stderr.isatty()):
        yield None
        return
    from tqdm import tqdm

    # No monitor thread: digests are built in forked workers, and a fork wants one thread.
    tqdm.monitor_interval = 0
    with tqdm(desc=label, unit=" pages", file=sys.stderr, leave=False) as bar:
        yield bar.update


config_option = click.option(
    "--config", type=click.Path(dir_okay=False), default=None,
    help="TOML settings file (default: $NEWSFOLD_CONFIG, else ./newsfold.toml if present).",
)
workers_option = click.option(
    "--workers", type=click.IntRange(min=0), default=None,
    help="Processes that build digests (default 0: one per core; 1: none).",
)
db_option = click.option(
    "--db", default=None, help="SQLite store (default: $NEWSFOLD_DB, else ./newsfold.db)."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, prog_name="newsfold", message=f"%(prog)s %(version)s; {describe_kernels()}"
)
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
def main(debug: bool) -> None:
    """Turn scraped news pages into clean, deduplicated stories."""


@main.command("run")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for articles.jsonl, stories.jsonl and report.json.")
@click.option("--stages", callback=_stages, default=None,
              help="Stages to run, in order: clean,copies,stories,digest (default: all).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no story list.")
@workers_option
@config_option
@handle_errors
def run_command(inputs: tuple[str, ...], out_dir: str, stages: tuple[str, ...] | None,
                quiet: bool, workers: int | None, config: str | None) -> None:
    """Run the whole pipeline on INPUT... (folders, .txt/.html, .jsonl, .warc, '-' for stdin)."""
    settings = _settings(config, stages=stages, workers=workers)
    with _progress("reading", not quiet) as progress:
        report = run(list(inputs), out_dir, settings, progress=progress)
    click.echo(report.summary_line(), err=True)
    if not quiet and settings.runs("stories"):
        with open(f"{out_dir}/stories.jsonl", encoding="utf-8") as handle:
            records = [json.loads(line) for line in handle]
        _print_stories(records)
    click.echo(f"wrote {out_dir}/articles.jsonl, {out_dir}/stories.jsonl, {out_dir}/report.json",
               err=True)


@main.command("ingest")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--stages", callback=_stages, default=None,
              help="Stages to run (default: all); a store keeps the stages it was built with.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), default=None,
              help="Also write the run report (JSON) to this file.")
@db_option
@workers_option
@config_option
@handle_errors
def ingest_command(inputs: tuple[str, ...], stages: tuple[str, ...] | None, quiet: bool,
                   report_path: str | None, db: str | None, workers: int | None,
                   config: str | None) -> None:
    """Add pages to the store; pages already stored change nothing."""
    settings = _settings(config, stages=stages, db=db, workers=workers)
    with _progress("ingesting", not quiet) as progress:
        report = ingest(list(inputs), settings.db, settings, progress=progress)
    if report_path:
        with open(report_path, "w", encoding="utf-8") as handle:
            json.dump(report.to_dict(), handle, indent=2)
    click.echo(report.summary_line() + f" (store: {settings.db})", err=True)


@main.command("stories")
@click.option("--json", "as_json", is_flag=True, help="One JSON record per story.")
@click.option("--topics", "by_topic", is_flag=True,
              help="Group the stories by topic (a broader subject spanning several events).")
@db_option
@config_option
@handle_errors
def stories_command(as_json: bool, by_topic: bool, db: str | None, config: str | None) -> None:
    """List the stories in the store, newest first (grouped by topic with --topics)."""
    with _stored_index(config, db) as index:
        records = index.story_records(with_topics=by_topic)
    if as_json:
        for record in records:
            click.echo(json.dumps(record, ensure_ascii=False))
    elif by_topic:
        topics: dict[str, list[dict[str, Any]]] = {}
        for record in records:
            topics.setdefault(record["topic"], []).append(record)
        for topic_id, members in topics.items():
            click.echo(f"topic {topic_id}: {len(members)} stor{'y' if len(members) == 1 else 'ies'}")
            _print_stories(members, indent="  ")
    else:
        _print_stories(records)


@main.command("show")
@click.argument("story")
@click.option("--format", "fmt", type=click.Choice(["md", "json", "html"]), default="md",
              show_default=True)
@db_option
@config_option
@handle_errors
def show_command(story: str, fmt: str, db: str | None, config: str | None) -> None:
    """Show one story's digest."""
    from .digest import render_html, render_markdown
    from .models import Story

    with _stored_index(config, db) as index:
        record = index.store.story_record(story)
    if fmt == "json":
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
    story_obj = Story.from_dict(record)
    click.echo(render_markdown(story_obj) if fmt == "md" else render_html(story_obj))


@main.command("clean")
@click.argument("page", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="The article as JSON.")
@config_option
@handle_errors
def clean_command(page: str, as_json: bool, config: str | None) -> None:
    """Clean one page (a .txt or .html file) into its article."""
    article = clean_file(page, _settings(config))
    if as_json:
        record = article.to_dict()
        record["body"] = article.body
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
    lines = [f"# {article.title or '(no title)'}"]
    if article.standfirst:
        lines += ["", f"_{article.standfirst}_"]
    meta = [f"{k}: {v}" for k, v in (("dateline", article.dateline), ("credit", article.credit),
            ("byline", article.byline), ("published", article.published),
            ("lang", article.lang)) if v]
    if meta:
        lines += ["", " | ".join(meta)]
    lines += ["", article.body if article.paragraphs else f"({article.reason})"]
    click.echo("\n".join(lines))


@contextmanager
def _stored_index(config: str | None, db: str | None) -> Iterator[Index]:
    """The index over an existing store (reading commands must not create an empty one)."""
    settings = _settings(config, db=db)
    if settings.db != ":memory:" and not os.path.exists(settings.db):
        raise NewsfoldError(
            f"no store at {settings.db}: run 'newsfold ingest INPUT --db {settings.db}' first"
        )
    index = open_index(settings.db, settings)
    try:
        yield index
    finally:
        index.store.close()


def _print_stories(records: list[dict[str, Any]], indent: str = "") -> None:
    for record in records:
        n = len(record["articles"])
        groups = record.get("copy_groups") or []
        copies = f", {sum(len(g) for g in groups)} in {len(groups)} copy group(s)" if groups else ""
        click.echo(f"{indent}{record['id']}  {n} article(s){copies}  {record.get('headline') or ''}")
        digest = record.get("digest") or {}
        if digest.get("summary"):
            summary = digest["summary"]
            click.echo(indent + "    " + (summary[:300] + "..." if len(summary) > 300 else summary))


if __name__ == "__main__":  # pragma: no cover
    main()
