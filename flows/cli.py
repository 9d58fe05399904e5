"""The ``newsetl`` command line: ingest, backfill and sql."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from newsetl.errors import NewsetlError
from newsetl.flows import progress
from newsetl.flows.settings import (
    PATH_SETTINGS,
    ConfigError,
    Settings,
    configure_prefect,
    from_environment,
)

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
@click.option("--feeds-only", is_flag=True,
              help="Fetch and check the feeds (status, entries) without fetching articles.")
@click.option("--refetch", is_flag=True,
              help="Fetch every entry's page again, even when the feed entry is unchanged.")
@click.pass_context
def ingest(ctx: click.Context, config_path: str | None, feed_urls: tuple[str, ...],
           db: str | None, corpus: str | None, feeds_only: bool, refetch: bool) -> None:
    """Fetch feeds and their articles; write the corpus and load the warehouse.

    Example: newsetl ingest --config seeds/sample/feeds.toml
    """
    from newsetl.flows.config import FeedSpec, load_config, resolve_feed_url

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
    from newsetl.flows.ingest import run_ingest

    with _progress_display(ctx.obj["verbose"]):
        summary = run_ingest(feeds, settings, refetch=refetch, feeds_only=feeds_only)
    click.echo(summary.render())


@cli.command()
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help=f"Feeds config (TOML). Default: ./{DEFAULT_CONFIG}.")
@click.option("--db", help="Warehouse file. Default: data/news.duckdb (NEWSETL_DB).")
@click.option("--corpus", help="Corpus folder. Default: data/corpus (NEWSETL_CORPUS).")
@click.option("--interval", type=click.IntRange(min=1), metavar="SECONDS",
              help="Poll interval for feeds without their own. Default: the config's "
                   "`interval` setting, else 3600.")
@click.pass_context
def serve(ctx: click.Context, config_path: str | None, db: str | None, corpus: str | None,
          interval: int | None) -> None:
    """Poll the config's feeds on a schedule until stopped (Ctrl-C).

    Each poll interval is a Prefect deployment served from this process. Without
    PREFECT_API_URL a local Prefect server is started on 127.0.0.1 (its UI address is
    printed) and stopped on exit; with it, that server is used.

    Example: newsetl serve --config seeds/sample/feeds.toml --interval 600
    """
    from newsetl.flows.config import load_config
    from newsetl.flows.prefect_server import local_server

    config_path = config_path or DEFAULT_CONFIG
    config = load_config(config_path)
    if not config.feeds:
        raise ConfigError(f"{config_path} lists no feeds to serve")
    settings = _settings(config.settings, db=db, corpus=corpus, interval=interval)
    _preflight(settings)
    # scheduled runs may start in another folder: hand them absolute paths
    overrides: dict = {name: str(Path(getattr(settings, name)).resolve())
                       for name in PATH_SETTINGS}
    overrides["lock_timeout"] = max(settings.lock_timeout, 60.0)
    if interval is not None:
        overrides["interval"] = interval
    configure_prefect(Path(settings.db).parent, ctx.obj["verbose"])
    home = Path(os.environ["PREFECT_HOME"])
    if os.environ.get("PREFECT_API_URL"):
        click.echo(f"Using the Prefect server at {os.environ['PREFECT_API_URL']}")
        _serve(config_path, overrides, settings.interval, ctx.obj["verbose"])
        return
    click.echo("Starting a local Prefect server on 127.0.0.1 ...")
    with local_server(home) as url:
        os.environ["PREFECT_API_URL"] = f"{url}/api"
        click.echo(f"Prefect UI: {url}  (Ctrl-C stops serving and the server)")
        _serve(config_path, overrides, settings.interval, ctx.obj["verbose"])


def _serve(config_path: str, overrides: dict, default_interval: int, verbose: bool) -> None:
    from newsetl.flows.serve import groups

    for every, urls in sorted(groups(config_path, default_interval).items()):
        click.echo(f"  every {every} s: {len(urls)} feed(s)")
    _quiet_prefect(verbose)
    if not verbose:
        # a second Ctrl-C while Prefect pauses the schedules only prints asyncio noise
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    from newsetl.flows.serve import serve_feeds

    try:
        serve_feeds(config_path, overrides, default_interval)
    except KeyboardInterrupt:
        pass
    click.echo("Stopped.")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--urls", "url_lists", multiple=True, metavar="FILE",
              help="A text file of article URLs, one per line, to fetch; repeatable.")
@click.option("--sitemap", "sitemaps", multiple=True, metavar="URL",
              help="A (news) sitemap or sitemap index whose articles to fetch; repeatable.")
@click.option("--since", metavar="DATE", help="Only articles published on or after DATE "
              "(YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--until", metavar="DATE", help="Only articles published on or before DATE.")
@click.option("--db", help="Warehouse file. Default: data/news.duckdb (NEWSETL_DB).")
@click.option("--corpus", help="Corpus folder for fetched pages. Default: data/corpus.")
@click.pass_context
def backfill(ctx: click.Context, paths: tuple[str, ...], url_lists: tuple[str, ...],
             sitemaps: tuple[str, ...], since: str | None, until: str | None,
             db: str | None, corpus: str | None) -> None:
    """Load archives into the warehouse: dated text files (NNN_<id>.txt), WARC files
    (ours or standard crawls), folders of both, URL lists and news sitemaps.

    Running it again passes over what is already loaded.

    Example: newsetl backfill seeds data/archive --since 2024-11
    """
    from newsetl.extract.daterange import parse_date_range
    from newsetl.flows.backfill import find_files

    if not (paths or url_lists or sitemaps):
        raise click.UsageError("name PATHs, --urls FILE or --sitemap URL to backfill from")
    dates = parse_date_range(since, until)
    settings = _settings(db=db, corpus=corpus)
    find_files(paths)  # a missing path fails here, before Prefect starts
    for path in url_lists:
        if not Path(path).is_file():
            raise ConfigError(f"URL list {path} does not exist")
    _preflight(settings)
    _start_prefect(settings, ctx.obj["verbose"])
    from newsetl.flows.backfill import backfill_flow
    from newsetl.flows.web_backfill import web_backfill_flow

    with _progress_display(ctx.obj["verbose"]):
        if paths:
            click.echo(backfill_flow(list(paths), settings, dates.since, dates.until).render())
        if url_lists or sitemaps:
            summary = web_backfill_flow(list(url_lists), list(sitemaps), settings,
                                        dates.since, dates.until)
            click.echo(summary.render())


@cli.command()
@click.option("--what", type=click.Choice(["article", "quotes", "claims", "all"]), default="all",
              show_default=True, help="Which extractors to run again.")
@click.option("--since", metavar="DATE", help="Only articles published on or after DATE.")
@click.option("--until", metavar="DATE", help="Only articles published on or before DATE.")
@click.option("--db", help="Warehouse file. Default: data/news.duckdb (NEWSETL_DB).")
@click.option("--corpus", help="Corpus folder. Default: data/corpus (NEWSETL_CORPUS).")
@click.pass_context
def reprocess(ctx: click.Context, what: str, since: str | None, until: str | None,
              db: str | None, corpus: str | None) -> None:
    """Run newer extractors over stored articles, without the network.

    'article' extracts the text again from the archived pages of articles an older article
    extractor made; 'quotes' and 'claims' re-run those extractors where an older version ran.
    Rows of each article are swapped in one transaction; nothing else is touched.

    Example: newsetl reprocess --what claims --since 2024-06
    """
    from newsetl.extract.daterange import parse_date_range

    dates = parse_date_range(since, until)
    settings = _settings(db=db, corpus=corpus)
    _preflight(settings)
    _start_prefect(settings, ctx.obj["verbose"])
    from newsetl.flows.reprocess import reprocess_flow

    with _progress_display(ctx.obj["verbose"]):
        summary = reprocess_flow(settings, what, dates.since, dates.until)
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
    from newsetl.flows.output import render_csv, render_json, render_table
    from newsetl.warehouse import Warehouse

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
    from newsetl.warehouse import Warehouse

    Warehouse.open(settings.db, lock_timeout=settings.lock_timeout).close()


def _start_prefect(settings: Settings, verbose: bool) -> None:
    """Prefect's environment, and its loggers quiet unless -v: our summary and our one
    ``Error:`` line are what the user reads."""
    configure_prefect(Path(settings.db).parent, verbose)
    _quiet_prefect(verbose)


def _quiet_prefect(verbose: bool) -> None:
    if not verbose:
        # in-process callers (tests) may have imported Prefect before the environment was set
        for name in [n for n in logging.root.manager.loggerDict if n.startswith("prefect")]:
            logging.getLogger(name).setLevel(logging.CRITICAL)
        logging.getLogger("prefect").setLevel(logging.CRITICAL)


@cli.command()
@click.option("--db", help="Warehouse file. Default: data/news.duckdb (NEWSETL_DB).")
@click.option("--limit", default=20, show_default=True, help="How many runs, newest first.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of run objects.")
def runs(db: str | None, limit: int, as_json: bool) -> None:
    """List recent runs: flow, start, duration, status, counts and errors.

    A run cut off by a crash or a kill shows as 'interrupted'.

    Example: newsetl runs --limit 5
    """
    from newsetl.flows.output import render_json, render_table
    from newsetl.warehouse import Warehouse
    from newsetl.warehouse.runs import recent_runs

    settings = _settings(db=db)
    with Warehouse.open(settings.db, read_only=True) as warehouse:
        columns, rows = recent_runs(warehouse, limit)
    if as_json:
        click.echo(render_json(columns, rows))
        return
    short = [(r[0][:12], r[1], r[2].strftime("%Y-%m-%d %H:%M:%S"), r[3], r[4], _short_counts(r[5]),
              r[6]) for r in rows]
    click.echo(render_table(["run", "flow", "started (UTC)", "seconds", "status",
                             "articles new/updated/unchanged/failed", "errors"], short))


def _short_counts(counts: dict | None) -> str:
    if not counts:
        return ""
    failed = counts.get("articles_failed", 0) + counts.get("files_failed", 0)
    return (f"{counts.get('articles_new', 0)}/{counts.get('articles_updated', 0)}/"
            f"{counts.get('articles_unchanged', 0)}/{failed}")


@cli.command()
@click.option("--db", help="Warehouse file. Default: data/news.duckdb (NEWSETL_DB).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of feed objects.")
def feeds(db: str | None, as_json: bool) -> None:
    """List every feed with its last status, failures in a row and next poll.

    Example: newsetl feeds --json
    """
    from newsetl.flows.output import render_json, render_table
    from newsetl.warehouse import Warehouse
    from newsetl.warehouse.load import feed_health

    settings = _settings(db=db)
    with Warehouse.open(settings.db, read_only=True) as warehouse:
        columns, rows = feed_health(warehouse)
    click.echo(render_json(columns, rows) if as_json else render_table(columns, rows))


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object per file (one per line for several files).")
def extract(files: tuple[str, ...], as_json: bool) -> None:
    """Print the quotes and claims of dated files, with speakers and sources; the warehouse
    is not touched.

    Offsets are character offsets into the file content as read: text[start:end] is the
    quoted words.

    Example: newsetl extract seeds/000_e00214b99a58ad9b.txt --json
    """
    import json

    from newsetl.extract.attributions import extract_attributions_many
    from newsetl.extract.dated import parse_dated, read_dated_content

    contents = []
    for file in files:
        if not Path(file).is_file():
            raise ConfigError(f"{file} does not exist or is not a file")
        content = read_dated_content(file)
        parse_dated(content, file)
        contents.append(content)
    found = extract_attributions_many(contents)
    for file, (quotes, claims) in zip(files, found, strict=True):
        result = {"file": file, "quotes": [q.to_dict() for q in quotes],
                  "claims": [c.to_dict() for c in claims]}
        if as_json:
            click.echo(json.dumps(result, ensure_ascii=False, indent=None if len(files) > 1 else 2))
            continue
        click.echo(f"{file}: {len(quotes)} quote{'s' if len(quotes) != 1 else ''}")
        for quote in quotes:
            who = quote.speaker or "(no speaker found)"
            mention = f" [{quote.speaker_mention}]" if quote.speaker_mention and \
                quote.speaker_mention != quote.speaker else ""
            click.echo(f"  {who}{mention} {quote.cue or ''}: \"{quote.text}\"".replace(" :", ":"))
        click.echo(f"{file}: {len(claims)} claim{'s' if len(claims) != 1 else ''}")
        for claim in claims:
            who = claim.source or f"({claim.source_type})"
            mention = f" [{claim.source_mention}]" if claim.source_mention and \
                claim.source_mention != claim.source else ""
            extra = "".join([f" hedge={claim.hedge}" if claim.hedge else "",
                             " negated" if claim.negated else "",
                             f" inside claim {claim.parent + 1}" if claim.parent is not None
                             else ""])
            click.echo(f"  {who}{mention} {claim.cue or ''}{extra}: {claim.content}")


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
        from newsetl.warehouse.db import fatal_error

        click.echo(f"Error: {fatal_error(error) or error}", err=True)
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
        from newsetl.warehouse.db import fatal_error

        named = fatal_error(error)  # a full disk or a damaged warehouse, however it surfaced
        if named is not None:
            click.echo(f"Error: {named}", err=True)
            return 1
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
