"""The ``newsetl`` command line: ingest, backfill and sql."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from extract.errors import NewsetlError
from flows import progress
from flows.settings import ConfigError, Settings, configure_prefect, from_environment

DEFAULT_CONFIG = "feeds.toml"


def _settings(config_settings: dict | None = None, **options: object) -> Settings:
    """Defaults < config file [settings] < NEWSETL_* environment < command-line options."""
    settings = Settings()
    if config_settings:
        settings = settings.merged(config_settings, "config")
    settings = from_environment(settings)
    return settings.merged({k: v for k, v in options.items() if v is not None}, "options")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Show Prefect's logs and tracebacks.")
@click.version_option(package_name="newsetl")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """newsetl turns news feeds into data: dated article texts, and a DuckDB warehouse.

    Settings come from defaults, the config file's [settings], NEWSETL_* environment
    variables (NEWSETL_DB, NEWSETL_CORPUS, ...) and options, each overriding the last.
    """
    ctx.obj = {"verbose": verbose}
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


@cli.command()
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help=f"Feeds config (TOML). Default: ./{DEFAULT_CONFIG} if it exists.")
@click.option("--feed", "feed_urls", multiple=True, metavar="URL",
              help="A feed URL (or path) to ingest; repeat for several. Added to the config's.")
@click.option("--db", help="Warehouse file. Default: data/news.duckdb (NEWSETL_DB).")
@click.option("--corpus", help="Corpus folder. Default: data/corpus (NEWSETL_CORPUS).")
@click.option("--refetch", is_flag=True,
              help="Fetch every entry's page again, even when the feed entry is unchanged.")
@click.pass_context
def ingest(ctx: click.Context, config_path: str | None, feed_urls: tuple[str, ...],
           db: str | None, corpus: str | None, refetch: bool) -> None:
    """Fetch feeds and their articles; write the corpus and load the warehouse.

    Example: newsetl ingest --config seeds/sample/feeds.toml
    """
    from flows.config import FeedSpec, load_config, resolve_feed_url

    if config_path is None and not feed_urls and Path(DEFAULT_CONFIG).exists():
        config_path = DEFAULT_CONFIG
    config = load_config(config_path) if config_path else None
    feeds = list(config.feeds) if config else []
    feeds += [FeedSpec(url=resolve_feed_url(u, Path.cwd())) for u in feed_urls]
    feeds = list({f.url: f for f in feeds}.values())
    if not feeds:
        raise ConfigError(f"no feeds to ingest: give --feed URL or --config FILE "
                          f"(or put a {DEFAULT_CONFIG} here)")
    settings = _settings(config.settings if config else None, db=db, corpus=corpus)
    _preflight(settings)
    _start_prefect(settings, ctx.obj["verbose"])
    from flows.ingest import run_ingest

    with _progress_display(ctx.obj["verbose"]):
        summary = run_ingest(feeds, settings, refetch=refetch)
    click.echo(summary.render())


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--db", help="Warehouse file. Default: data/news.duckdb (NEWSETL_DB).")
@click.pass_context
def backfill(ctx: click.Context, paths: tuple[str, ...], db: str | None) -> None:
    """Load dated text files (files or folders of NNN_<id>.txt) into the warehouse.

    Example: newsetl backfill seeds
    """
    settings = _settings(db=db)
    from flows.backfill import find_files

    find_files(paths)  # a missing path fails here, before Prefect starts
    _preflight(settings)
    _start_prefect(settings, ctx.obj["verbose"])
    from flows.backfill import backfill_flow

    with _progress_display(ctx.obj["verbose"]):
        summary = backfill_flow(list(paths), settings)
    click.echo(summary.render())


@cli.command()
@click.argument("query")
@click.option("--db", help="Warehouse file. Default: data/news.duckdb (NEWSETL_DB).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of row objects.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV with a header row.")
def sql(query: str, db: str | None, as_json: bool, as_csv: bool) -> None:
    """Run a read-only SQL query on the warehouse.

    Example: newsetl sql "SELECT title, published_date FROM articles LIMIT 5"
    """
    from flows.output import render_csv, render_json, render_table
    from warehouse import Warehouse

    if as_json and as_csv:
        raise click.UsageError("--json and --csv exclude each other")
    settings = _settings(db=db)
    with Warehouse.open(settings.db, read_only=True) as warehouse:
        columns, rows = warehouse.query(query)
    if as_json:
        click.echo(render_json(columns, rows))
    elif as_csv:
        click.echo(render_csv(columns, rows))
    elif columns:
        click.echo(render_table(columns, rows))


def _preflight(settings: Settings) -> None:
    """Open (create, migrate) the warehouse once before Prefect starts: a locked or broken
    file fails in a second, not after the engine's start-up."""
    from warehouse import Warehouse

    Warehouse.open(settings.db, lock_timeout=settings.lock_timeout).close()


def _start_prefect(settings: Settings, verbose: bool) -> None:
    """Prefect's environment, and its loggers quiet unless -v: our summary and our one
    ``Error:`` line are what the user reads."""
    configure_prefect(Path(settings.db).parent, verbose)
    if not verbose:
        logging.getLogger("prefect").setLevel(logging.CRITICAL)


@contextmanager
def _progress_display(verbose: bool) -> Iterator[None]:
    """A progress bar on stderr for long runs, when stderr is a terminal."""
    if verbose or not sys.stderr.isatty():
        yield
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bars: dict[str, int] = {}
    with Progress(TextColumn("{task.description:>8}"), BarColumn(), MofNCompleteColumn(),
                  console=Console(stderr=True), transient=True) as display:
        def listener(stage: str, advance: int, total: int | None) -> None:
            if stage not in bars:
                bars[stage] = display.add_task(stage, total=total)
            if total is not None:
                display.update(bars[stage], total=total)
            if advance:
                display.advance(bars[stage], advance)

        progress.listen(listener)
        try:
            yield
        finally:
            progress.listen(None)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI; a NewsetlError becomes one ``Error:`` line and exit 1."""
    verbose = "-v" in (argv or sys.argv[1:]) or "--verbose" in (argv or sys.argv[1:])
    try:
        cli.main(args=argv, prog_name="newsetl", standalone_mode=False)
    except NewsetlError as error:
        click.echo(f"Error: {error}", err=True)
        return 1
    except click.exceptions.Abort:
        click.echo("Error: interrupted; the run is recorded as interrupted", err=True)
        return 130
    except click.UsageError as error:
        where = error.ctx.command_path if error.ctx else "newsetl"
        click.echo(f"Error: {error.format_message()} (see '{where} --help')", err=True)
        return error.exit_code
    except click.ClickException as error:
        click.echo(f"Error: {error.format_message()}", err=True)
        return error.exit_code
    except KeyboardInterrupt:
        click.echo("Error: interrupted; the run is recorded as interrupted", err=True)
        return 130
    except Exception as error:  # a bug: say so in one line unless asked for the traceback
        if verbose:
            raise
        click.echo(f"Error: unexpected {type(error).__name__}: {error} "
                   "(run with -v for the traceback, and please report it)", err=True)
        return 1
    return 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
