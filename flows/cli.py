"""The ``newsetl`` command line: ingest, backfill and sql."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

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
from newsetl.values import CONFIDENCE_THRESHOLD, Target

DEFAULT_CONFIG = "feeds.toml"
INTERRUPTED = 130
"""the exit code of a run stopped by Ctrl-C (128 + SIGINT, as shells count it)"""
_INTERRUPTED_LINE = "Error: interrupted; the run is recorded as interrupted"
MIN_CONFIDENCE_HELP = ("Count quotes and claims of at least this confidence (the speakers and "
                       f"sources views count from {CONFIDENCE_THRESHOLD:g}; 0 counts all).")


def _settings(config_settings: dict | None = None, **options: object) -> Settings:
    """Defaults < config file [settings] < NEWSETL_* environment < command-line options."""
    settings = Settings()
    if config_settings:
        settings = settings.merged(config_settings, "config")
    settings = from_environment(settings)
    context = click.get_current_context(silent=True)
    if context is not None:
        options = {"data_dir": context.meta.get("newsetl.data_dir"), **options}
    return settings.merged({k: v for k, v in options.items() if v is not None}, "options")


def _remember_data_dir(ctx: click.Context, _: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.meta["newsetl.data_dir"] = value


def data_dir_option(command: Callable) -> Callable:
    """--data-dir DIR: the warehouse (news.duckdb), corpus, archive and robots.txt cache in
    one folder."""
    return click.option(
        "--data-dir", metavar="DIR", expose_value=False, callback=_remember_data_dir,
        help="One folder for the warehouse (DIR/news.duckdb), its corpus, archive and "
             "robots.txt cache. Default: data (NEWSETL_DATA_DIR).")(command)


def _reader(settings: Settings):
    """The warehouse opened read-only, waiting up to ``read_lock_timeout`` for a run's
    chunk to commit."""
    from newsetl.warehouse import Warehouse

    return Warehouse.open(settings.db, read_only=True, lock_timeout=settings.read_lock_timeout)


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


def workers_options(command: Callable) -> Callable:
    """--workers N and --task-runner threads|dask."""
    from newsetl.values import TaskRunner

    command = click.option(
        "--task-runner", type=click.Choice([r.value for r in TaskRunner]),
        help="Where chunks are processed: threads (this machine) or dask (a local Dask "
             "cluster, or dask_address). Default: threads (NEWSETL_TASK_RUNNER).")(command)
    return click.option(
        "--workers", type=click.IntRange(min=1), metavar="N",
        help="Worker processes for extraction, quotes and claims. Default: the cores "
             "(NEWSETL_WORKERS).")(command)


@cli.command()
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help=f"Feeds config (TOML). Default: ./{DEFAULT_CONFIG} if it exists.")
@click.option("--feed", "feed_urls", multiple=True, metavar="URL",
              help="A feed URL (or path) to ingest; repeat for several. Added to the config's.")
@click.option("--db", help="Warehouse file. Default: data/news.duckdb (NEWSETL_DB).")
@data_dir_option
@click.option("--corpus", help="Corpus folder. Default: beside the warehouse (NEWSETL_CORPUS).")
@click.option("--feeds-only", is_flag=True,
              help="Fetch and check the feeds (status, entries) without fetching articles.")
@click.option("--refetch", is_flag=True,
              help="Fetch every entry's page again, even when the feed entry is unchanged.")
@workers_options
@click.pass_context
def ingest(ctx: click.Context, config_path: str | None, feed_urls: tuple[str, ...],
           db: str | None, corpus: str | None, feeds_only: bool, refetch: bool,
           workers: int | None, task_runner: str | None) -> None:
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
    settings = _settings(config.settings if config else None, db=db, corpus=corpus,
                         workers=workers, task_runner=task_runner)
    _preflight(settings)
    with _prefect(settings, ctx.obj["verbose"]):
        from newsetl.flows.ingest import run_ingest

        with _progress_display(ctx.obj["verbose"]), _stops_at_once():
            summary = run_ingest(feeds, settings, refetch=refetch, feeds_only=feeds_only)
    click.echo(summary.render())


@cli.command()
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help=f"Feeds config (TOML). Default: ./{DEFAULT_CONFIG}.")
@click.option("--db", help="Warehouse file. Default: data/news.duckdb (NEWSETL_DB).")
@data_dir_option
@click.option("--corpus", help="Corpus folder. Default: beside the warehouse (NEWSETL_CORPUS).")
@click.option("--interval", type=click.IntRange(min=1), metavar="SECONDS",
              help="Poll interval for feeds without their own. Default: the config's "
                   "`interval` setting, else 3600.")
@workers_options
@click.pass_context
def serve(ctx: click.Context, config_path: str | None, db: str | None, corpus: str | None,
          interval: int | None, workers: int | None, task_runner: str | None) -> None:
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
    settings = _settings(config.settings, db=db, corpus=corpus, interval=interval,
                         workers=workers, task_runner=task_runner)
    _preflight(settings)
    # scheduled runs may start in another folder: hand them absolute paths
    overrides: dict = {name: str(Path(getattr(settings, name)).resolve())
                       for name in PATH_SETTINGS}
    overrides["lock_timeout"] = max(settings.lock_timeout, 60.0)
    for name, value in (("interval", interval), ("workers", workers),
                        ("task_runner", task_runner)):
        if value is not None:
            overrides[name] = value
    configure_prefect(Path(settings.db).parent, ctx.obj["verbose"])
    home = Path(os.environ["PREFECT_HOME"])
    if os.environ.get("PREFECT_API_URL"):
        click.echo(f"Using the Prefect server at {os.environ['PREFECT_API_URL']}")
        _serve(config_path, overrides, settings.interval, ctx.obj["verbose"])
        return
    click.echo("Starting a local Prefect server on 127.0.0.1 ...")
    with local_server(home, announce=True) as url:
        os.environ["PREFECT_API_URL"] = f"{url}/api"
        click.echo(f"Prefect UI: {url}  (Ctrl-C stops serving and the server)")
        _serve(config_path, overrides, settings.interval, ctx.obj["verbose"])


def _serve(config_path: str, overrides: dict, default_interval: int, verbose: bool) -> None:
    from newsetl.flows.serve import schedules

    for schedule in schedules(config_path, default_interval):
        click.echo(f"  deployment {schedule.name!r}: {len(schedule.feeds)} feed(s), "
                   f"tags {', '.join(schedule.tags)}")
    click.echo("Each run prints one line here; `newsetl runs` lists them.")
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
@data_dir_option
@click.option("--corpus", help="Corpus folder for fetched pages. Default: beside the warehouse.")
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
    summaries = []
    with _prefect(settings, ctx.obj["verbose"]):
        from newsetl.flows.backfill import backfill_flow
        from newsetl.flows.web_backfill import web_backfill_flow

        with _progress_display(ctx.obj["verbose"]), _stops_at_once():
            if paths:
                summaries.append(backfill_flow(list(paths), settings, dates.since,
                                               dates.until))
            if url_lists or sitemaps:
                summaries.append(web_backfill_flow(list(url_lists), list(sitemaps), settings,
                                                   dates.since, dates.until))
    # printed once the bars are gone: the display erases the lines it drew over
    for summary in summaries:
        click.echo(summary.render())


@cli.command()
@click.option("--what", type=click.Choice([t.value for t in Target]), default=Target.ALL.value,
              show_default=True, help="Which extractors to run again.")
@click.option("--since", metavar="DATE", help="Only articles published on or after DATE.")
@click.option("--until", metavar="DATE", help="Only articles published on or before DATE.")
@click.option("--db", help="Warehouse file. Default: data/news.duckdb (NEWSETL_DB).")
@data_dir_option
@click.option("--corpus", help="Corpus folder. Default: beside the warehouse (NEWSETL_CORPUS).")
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
    with _prefect(settings, ctx.obj["verbose"]):
        from newsetl.flows.reprocess import reprocess_flow

        with _progress_display(ctx.obj["verbose"]), _stops_at_once():
            summary = reprocess_flow(settings, Target(what), dates.since, dates.until)
    click.echo(summary.render())


def output_options(command: Callable) -> Callable:
    """--fmt table|json|csv|markdown (--json and --csv as short forms) and --width."""
    from newsetl.flows.output import FORMATS

    for option in reversed([
        click.option("--fmt", type=click.Choice(FORMATS), help="Output format. Default: table."),
        click.option("--json", "as_json", is_flag=True, help="Same as --fmt json."),
        click.option("--csv", "as_csv", is_flag=True, help="Same as --fmt csv."),
        click.option("--width", type=click.IntRange(min=4), metavar="N",
                     help="Cut table and Markdown cells longer than N characters."),
    ]):
        command = option(command)
    return command


def _format(fmt: str | None, as_json: bool, as_csv: bool) -> str:
    """The one output format the options ask for."""
    asked = [f for f, on in (("json", as_json), ("csv", as_csv)) if on]
    if len(asked) > 1:
        raise click.UsageError("--json and --csv exclude each other")
    if asked and fmt and fmt != asked[0]:
        raise click.UsageError(f"--{asked[0]} and --fmt {fmt} exclude each other")
    return fmt or (asked[0] if asked else "table")


@cli.command()
@click.argument("query", required=False)
@click.option("--file", "query_file", type=click.File("r", encoding="utf-8"),
              help="Read the query from FILE ('-': standard input).")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A value for $NAME in the query; repeatable.")
@click.option("--db", help="Warehouse file. Default: data/news.duckdb (NEWSETL_DB).")
@data_dir_option
@output_options
def sql(query: str | None, query_file: IO[str] | None, params: tuple[str, ...], db: str | None,
        fmt: str | None, as_json: bool, as_csv: bool, width: int | None) -> None:
    """Run one read-only SQL query on the warehouse. QUERY '-' reads it from standard input.

    Values go in with --param NAME=VALUE and $NAME in the query, never pasted into it.

    Example: newsetl sql "SELECT cue, content FROM claims WHERE source = $who" -p who="Donald Trump"
    """
    from newsetl.flows.output import render

    fmt = _format(fmt, as_json, as_csv)
    if (query is None) == (query_file is None):
        raise click.UsageError("give a QUERY or --file FILE (one of them)")
    text = query_file.read() if query_file is not None else query or ""
    if text == "-":
        text = sys.stdin.read()
    values = {}
    for param in params:
        name, sep, value = param.partition("=")
        if not sep or not name.strip():
            raise click.UsageError(f"--param {param!r} is not NAME=VALUE")
        values[name.strip().lstrip("$")] = value
    settings = _settings(db=db)
    with _reader(settings) as warehouse:
        columns, rows = warehouse.user_query(text, values)
    if columns:
        click.echo(render(fmt, columns, rows, width))


@cli.command()
@click.argument("out_dir", metavar="DIR", type=click.Path(file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv"]), default="parquet",
              show_default=True, help="Parquet (a folder per table, one per month) or CSV.")
@click.option("--since", metavar="DATE", help="Only rows of articles published on or after DATE.")
@click.option("--until", metavar="DATE", help="Only rows of articles published on or before DATE.")
@click.option("--tables", "tables", multiple=True, metavar="NAME[,NAME]",
              help="Tables to export (default: articles, quotes, claims, entities, feeds); "
                   "also article_feeds, runs, run_errors.")
@click.option("--db", help="Warehouse file. Default: data/news.duckdb (NEWSETL_DB).")
@data_dir_option
def export(out_dir: str, fmt: str, since: str | None, until: str | None,
           tables: tuple[str, ...], db: str | None) -> None:
    """Export tables for pandas, polars, R arrow, DuckDB or a spreadsheet.

    Parquet goes to DIR/<table>/month=YYYY-MM/*.parquet (hive partitions: read DIR/<table>
    as one dataset); CSV to DIR/<table>.csv. A table's earlier export is replaced whole.

    Example: newsetl export exports --since 2024-06 --tables articles,quotes
    """
    from newsetl.extract.daterange import parse_date_range
    from newsetl.flows.output import render
    from newsetl.warehouse.export import DEFAULT_TABLES, export_tables

    dates = parse_date_range(since, until)
    names = tuple(n.strip() for t in tables for n in t.split(",") if n.strip()) or DEFAULT_TABLES
    settings = _settings(db=db)
    with _reader(settings) as warehouse:
        done = export_tables(warehouse, out_dir, names, fmt, dates.since, dates.until)
    click.echo(f"exported to {out_dir} ({fmt}{', by month' if fmt == 'parquet' else ''})")
    click.echo(render("table", ["table", "rows", "files", "bytes", "path"],
                      [(e.table, e.rows, e.files, e.bytes, str(e.path)) for e in done]))


@cli.command()
@click.option("--since", metavar="DATE", help="Only articles published on or after DATE.")
@click.option("--until", metavar="DATE", help="Only articles published on or before DATE.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Folder to write to (replaced). Default: report/ beside the warehouse.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=CONFIDENCE_THRESHOLD,
              show_default=True, help=MIN_CONFIDENCE_HELP)
@click.option("--db", help="Warehouse file. Default: data/news.duckdb (NEWSETL_DB).")
@data_dir_option
def report(since: str | None, until: str | None, out_dir: str | None, min_confidence: float,
           db: str | None) -> None:
    """Write a static HTML report: who is quoted and who claims, over time, by type and by
    outlet; a page per person or organisation (entities/<entity_id>.html); every article
    with its quotes and claims marked.

    It opens from file:// with no network (no script, nothing loaded from elsewhere). It
    counts what `newsetl who` and the speakers and sources views count.

    Example: newsetl report --since 2024-11 --out report
    """
    import datetime as dt

    from newsetl.extract.daterange import parse_date_range
    from newsetl.flows.report import write_report
    from newsetl.warehouse.voices import Scope

    dates = parse_date_range(since, until)
    settings = _settings(db=db)
    out = Path(out_dir) if out_dir else Path(settings.db).parent / "report"
    with _reader(settings) as warehouse:
        written = write_report(warehouse, out, Scope(dates.since, dates.until, min_confidence),
                               dt.datetime.now(dt.UTC))
    click.echo(f"report: {written.pages} pages ({written.voices} voices, {written.articles} "
               f"articles) in {out}")
    click.echo(f"  open {written.index.resolve().as_uri()}")


def _preflight(settings: Settings) -> None:
    """Take the run lock and open (create, migrate) the warehouse once before Prefect
    starts: a warehouse another run writes, or a broken file, fails in a second, not after
    the engine's start-up."""
    from newsetl.warehouse.writer import Writer

    with Writer(settings.db, "run", settings.lock_timeout, settings.commit_lock_timeout):
        pass


@contextmanager
def _prefect(settings: Settings, verbose: bool) -> Iterator[None]:
    """Prefect for one flow command: its environment (its loggers quiet unless -v: our
    summary and our one ``Error:`` line are what the user reads) and a server: the one given
    (PREFECT_API_URL), the one ``newsetl serve`` runs, else a temporary one that dies with
    this process."""
    configure_prefect(Path(settings.db).parent, verbose)
    _quiet_prefect(verbose)
    if os.environ.get("PREFECT_API_URL") or _prefect_configured():
        yield
        return
    from newsetl.flows.prefect_server import shared_or_temporary

    with shared_or_temporary(Path(os.environ["PREFECT_HOME"])) as url:
        os.environ["PREFECT_API_URL"] = f"{url}/api"
        try:
            yield
        finally:
            os.environ.pop("PREFECT_API_URL", None)


def _prefect_configured() -> bool:
    """Whether Prefect, imported already (a test harness), has a server configured."""
    if "prefect.settings" not in sys.modules:
        return False
    from prefect.settings import get_current_settings

    return bool(get_current_settings().api.url)


def _quiet_prefect(verbose: bool) -> None:
    if not verbose:
        # in-process callers (tests) may have imported Prefect before the environment was set
        for name in [n for n in logging.root.manager.loggerDict if n.startswith("prefect")]:
            logging.getLogger(name).setLevel(logging.CRITICAL)
        logging.getLogger("prefect").setLevel(logging.CRITICAL)


@cli.command()
@click.argument("name")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=CONFIDENCE_THRESHOLD,
              show_default=True, help=MIN_CONFIDENCE_HELP)
@click.option("--db", help="Warehouse file. Default: data/news.duckdb (NEWSETL_DB).")
@data_dir_option
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object: the entity and its quotes and claims.")
def who(name: str, min_confidence: float, db: str | None, as_json: bool) -> None:
    """Show one person's or organisation's quotes and claims over time, with each article's
    date, title and URL.

    NAME is matched against entity names and aliases, case and dots aside ("Trump" finds
    Donald Trump); when several entities match, the most quoted is shown and the others
    are listed. It counts what the report and the speakers and sources views count: quotes
    and claims from --min-confidence, repeats of an article left out.

    Example: newsetl who "Ana Ruiz"
    """
    import json

    from newsetl.flows.output import render_table, to_jsonable
    from newsetl.warehouse.entities import entity_timeline, find_entities
    from newsetl.warehouse.voices import Scope

    settings = _settings(db=db)
    scope = Scope(min_confidence=min_confidence)
    with _reader(settings) as warehouse:
        found = find_entities(warehouse, name, scope)
        if not found:
            raise ConfigError(f"no speaker or source named {name!r} in {settings.db}; "
                              "try a surname, or `newsetl sql \"SELECT name FROM entities\"`")
        entity, others = found[0], found[1:]
        timeline = entity_timeline(warehouse, entity["entity_id"], scope)
    if as_json:
        click.echo(json.dumps(to_jsonable({**entity, "min_confidence": min_confidence,
                                           "others": [o["name"] for o in others],
                                           "items": timeline}), ensure_ascii=False, indent=2))
        return
    aliases = ", ".join(a for a in entity["aliases"] if a != entity["name"])
    counts = ", ".join(f"{entity[k]} {k if entity[k] != 1 else k[:-1]}" for k in ("quotes", "claims"))
    articles = f"{entity['articles']} article{'s' if entity['articles'] != 1 else ''}"
    first, last = entity["first_seen"], entity["last_seen"]
    dates = "" if not entity["articles"] else f", on {first}" if first == last else \
        f", {first} to {last}"
    click.echo(f"{entity['name']} ({entity['type']}): {counts} in {articles}{dates}"
               + (f"; also written {aliases}" if aliases else ""))
    if entity["below"]:
        click.echo(f"not counted: {entity['below']} more under confidence {min_confidence:g} "
                   "(--min-confidence 0 lists them)")
    if others:
        click.echo("also matching: " + ", ".join(o["name"] for o in others[:10]))
    rows = [(str(t["date"]), t["kind"], t["cue"] or "", t["content"], t["title"] or "", t["url"])
            for t in timeline]
    click.echo(render_table(["date", "kind", "cue", "content", "title", "url"], rows))


@cli.command()
@click.option("--db", help="Warehouse file. Default: data/news.duckdb (NEWSETL_DB).")
@data_dir_option
@click.option("--limit", default=20, show_default=True, help="How many runs, newest first.")
@output_options
def runs(db: str | None, limit: int, fmt: str | None, as_json: bool, as_csv: bool,
         width: int | None) -> None:
    """List recent runs: flow, start, duration, status, counts, errors, and what stopped a
    failed run.

    A run cut off by a crash or a kill shows as 'interrupted'. JSON and CSV carry every
    column in full.

    Example: newsetl runs --limit 5
    """
    from newsetl.flows.output import render
    from newsetl.warehouse.runs import recent_runs

    fmt = _format(fmt, as_json, as_csv)
    settings = _settings(db=db)
    with _reader(settings) as warehouse:
        columns, rows = recent_runs(warehouse, limit)
    if fmt in ("json", "csv"):
        click.echo(render(fmt, columns, rows))
        return
    short = [(r[0][:12], r[1], r[2].strftime("%Y-%m-%d %H:%M:%S"), r[3], r[4], _short_counts(r[5]),
              r[6], r[7] or "") for r in rows]
    click.echo(render(fmt, ["run", "flow", "started (UTC)", "seconds", "status",
                            "articles new/updated/unchanged/failed", "errors", "error"],
                      short, width))


def _short_counts(counts: dict | None) -> str:
    if not counts:
        return ""
    failed = counts.get("articles_failed", 0) + counts.get("files_failed", 0)
    return (f"{counts.get('articles_new', 0)}/{counts.get('articles_updated', 0)}/"
            f"{counts.get('articles_unchanged', 0)}/{failed}")


@cli.group(invoke_without_command=True)
@click.option("--db", help="Warehouse file. Default: data/news.duckdb (NEWSETL_DB).")
@data_dir_option
@output_options
@click.pass_context
def feeds(ctx: click.Context, db: str | None, fmt: str | None, as_json: bool, as_csv: bool,
          width: int | None) -> None:
    """List every feed with its last status, failures in a row and next poll; `feeds import`
    and `feeds export` bring feed lists in and out as OPML.

    Example: newsetl feeds --fmt markdown
    """
    if ctx.invoked_subcommand is not None:
        return
    from newsetl.flows.output import render
    from newsetl.warehouse.load import feed_health

    fmt = _format(fmt, as_json, as_csv)
    settings = _settings(db=db)
    with _reader(settings) as warehouse:
        columns, rows = feed_health(warehouse)
    click.echo(render(fmt, columns, rows, width))


@feeds.command("import")
@click.argument("opml_file", type=click.Path(dir_okay=False))
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              default=DEFAULT_CONFIG, show_default=True,
              help="The feeds config to add the feeds to (created if missing).")
@click.option("--dry-run", is_flag=True, help="Print the [[feeds]] tables instead of adding them.")
def feeds_import(opml_file: str, config_path: str, dry_run: bool) -> None:
    """Add the feeds of an OPML file (any feed reader's export) to the config.

    Feeds the config lists already are left as they are; the config's own text and comments
    are kept and the new [[feeds]] tables appended, with folders and categories as tags.

    Example: newsetl feeds import subscriptions.opml --config feeds.toml
    """
    import datetime as dt

    from newsetl.extract.opml import parse_opml
    from newsetl.flows.config import add_feeds

    path = Path(opml_file)
    if not path.is_file():
        raise ConfigError(f"OPML file {opml_file} does not exist")
    found = parse_opml(path.read_bytes(), opml_file)
    note = f"imported from {path.name} on {dt.date.today().isoformat()}"
    done, appended = add_feeds(config_path, found, note, dry_run=dry_run)
    if dry_run:
        click.echo(appended.strip("\n") if appended else "# nothing to add")
    verb = "to add" if dry_run else "added"
    click.echo(f"{config_path}: {len(done.added)} feed(s) {verb}, {len(done.already)} "
               f"already listed, {len(done.refused)} left out", err=dry_run)
    for url, why in done.refused:
        click.echo(f"  left out {url}: {why}", err=True)


@feeds.command("export")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              default=DEFAULT_CONFIG, show_default=True, help="The feeds config to export.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write to FILE, not to stdout.")
def feeds_export(config_path: str, out: str | None) -> None:
    """Write the config's feeds as an OPML 2.0 file, for feed readers and other tools; the
    first tag of a feed is its folder, every tag a category.

    Example: newsetl feeds export --config feeds.toml --out feeds.opml
    """
    import datetime as dt

    from newsetl.extract.opml import render_opml
    from newsetl.flows.config import load_config, opml_feeds

    config = load_config(config_path)
    data = render_opml(opml_feeds(config), f"newsetl feeds ({Path(config_path).name})",
                       dt.datetime.now(dt.UTC).replace(microsecond=0))
    if out:
        Path(out).write_bytes(data)
        click.echo(f"{out}: {len(config.feeds)} feed(s)", err=True)
    else:
        click.echo(data.decode("utf-8"), nl=False)


@cli.command()
@click.argument("inputs", metavar="FILE|URL...", nargs=-1, required=True)
@click.option("--html", is_flag=True,
              help="Read the files as HTML pages (files ending in .html or .htm always are).")
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object per input (one per line for several inputs).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="A feeds config whose [settings] apply to URL fetches (contact, timeouts).")
def extract(inputs: tuple[str, ...], html: bool, as_json: bool, config_path: str | None) -> None:
    """Print the quotes and claims of dated files, HTML pages (files or http(s) URLs), with
    speakers and sources; the warehouse is not touched.

    A page is made into the dated format first, as ingest does (trafilatura, then the
    format). URLs are fetched like ingest's pages: politely, obeying robots.txt, through the
    SSRF guard. Offsets are 0-based character offsets into the dated content: into the file
    as read, or into "text" for a page (in --json), so text[start:end] is the quoted words.

    Example: newsetl extract seeds/000_e00214b99a58ad9b.txt page.html https://example.org/a
    """
    import json

    from newsetl.extract.attribution import extract_attributions_many
    from newsetl.flows.config import load_config
    from newsetl.flows.inputs import read_inputs

    config = load_config(config_path) if config_path else None
    read = read_inputs(inputs, html, _settings(config.settings if config else None))
    found = extract_attributions_many([i.content for i in read])
    for item, attributions in zip(read, found, strict=True):
        quotes, claims = attributions.quotes, attributions.claims
        article = item.article
        if item.note:  # on stderr: stdout stays the quotes and claims (or the JSON)
            click.echo(f"note: {item.note}", err=True)
        result: dict = {"file" if article is None else "url": item.label}
        if article is not None:
            result |= {"title": article.title, "published_date": article.published_date
                       .isoformat(), "date_source": article.date_source,
                       "canonical_url": article.canonical_url, "authors": list(article.authors),
                       "language": article.language, "text": item.content}
        result |= {"quotes": [q.to_dict() for q in quotes],
                   "claims": [c.to_dict() for c in claims]}
        if as_json:
            click.echo(json.dumps(result, ensure_ascii=False, indent=None if len(read) > 1 else 2))
            continue
        label = item.label
        if article is not None:
            click.echo(f"{label}: {article.title or '(no title)'!r}, {article.published_date} "
                       f"({article.date_source}), {article.word_count} words")
        click.echo(f"{label}: {len(quotes)} quote{'s' if len(quotes) != 1 else ''}")
        for quote in quotes:
            who = quote.speaker or "(no speaker found)"
            mention = f" [{quote.speaker_mention}]" if quote.speaker_mention and \
                quote.speaker_mention != quote.speaker else ""
            click.echo(f"  {who}{mention} {quote.cue or ''}: \"{quote.text}\"".replace(" :", ":"))
        click.echo(f"{label}: {len(claims)} claim{'s' if len(claims) != 1 else ''}")
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
def _stops_at_once() -> Iterator[None]:
    """One Ctrl-C stops a foreground run in seconds: the worker processes are killed and
    the run's threads stop before their next input, so the run ends interrupted with every
    chunk it committed kept. A second Ctrl-C is Python's own."""
    from newsetl.flows import stopping

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_ctrl_c(signum: int, frame: object) -> None:
        from newsetl.flows.extraction import stop_workers

        signal.signal(signal.SIGINT, previous)
        stopping.request()
        stop_workers()
        raise KeyboardInterrupt

    stopping.clear()
    previous = signal.signal(signal.SIGINT, on_ctrl_c)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def _progress_display(verbose: bool) -> Iterator[None]:
    """A progress bar on stderr for long runs, when stderr is a terminal. Print nothing to
    stdout inside it: the bars are erased when it closes, with what was drawn over them."""
    if verbose or not sys.stderr.isatty():
        yield
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

    bars: dict[str, TaskID] = {}
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
        click.echo(_INTERRUPTED_LINE, err=True)
        return INTERRUPTED
    except click.UsageError as error:
        where = error.ctx.command_path if error.ctx else "newsetl"
        click.echo(f"Error: {error.format_message()} (see '{where} --help')", err=True)
        return error.exit_code
    except click.ClickException as error:
        click.echo(f"Error: {error.format_message()}", err=True)
        return error.exit_code
    except KeyboardInterrupt:
        click.echo(_INTERRUPTED_LINE, err=True)
        return INTERRUPTED
    except Exception as error:  # a bug: say so in one line unless asked for the traceback
        from newsetl.warehouse.db import fatal_error, interrupted

        if interrupted(error):  # Ctrl-C during a DuckDB query comes out as its RuntimeError
            click.echo(_INTERRUPTED_LINE, err=True)
            return INTERRUPTED
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
    code = main()
    if code == INTERRUPTED:
        # the run is recorded as interrupted already; leave at once, without waiting on
        # what Prefect would still send its server at exit
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
