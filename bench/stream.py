"""The streaming targets, measured on a generated news site on 127.0.0.1 (issue 11).

    python -m bench.ingest --targets [--json] [--kills 20]

Each figure runs the real ``newsetl`` command in its own process, as a user would:

- peak RSS of an ingest of 200 and of 800 articles (the OS's figures: the ingest process's
  own high-water mark from ``wait4``, and the highest sum over its process tree, polled);
- throughput with 1 and with 2 workers (articles per second of the run's own time);
- the pipeline with 1 worker against a bare loop over the same pages in this process
  (trafilatura, the dated format, quotes and claims: no HTTP, no Prefect, no DuckDB);
- ``newsetl sql`` during a running ingest: 20 tries, each timed;
- kill -9 at random points of an ingest once it has started: the warehouse opens, a re-run
  ends with exactly the counts of an uninterrupted run, no process of the killed one is left;
- a backfill of 2,500 and of 10,000 dated files: peak RSS.

No network beyond the loopback server it starts. The machine may be shared: the ratios are
the steadier numbers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.ingest import build_site, serve

NEWSETL = str(Path(sys.executable).with_name("newsetl"))
SQL_TRIES = 20
SQL_LIMIT = 2.0
"""seconds within which every ``newsetl sql`` during an ingest must answer"""
COUNTS = ("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM article_feeds),"
          " (SELECT count(*) FROM quotes), (SELECT count(*) FROM claims),"
          " (SELECT count(*) FROM article_extractions), (SELECT count(*) FROM entities)")
_DONE = re.compile(r"completed in ([\d.]+) s")
_NEW = re.compile(r"articles: (\d+) new")


@dataclasses.dataclass
class Finished:
    """A finished command: exit code, output, wall seconds and peak memory."""

    code: int
    out: str
    seconds: float
    own_peak_mb: float
    """the process's own peak resident set (wait4's ru_maxrss: the largest of the tree)"""
    tree_peak_mb: float
    """the highest sum of resident sets over the process and its descendants, polled"""

    @property
    def run_seconds(self) -> float:
        match = _DONE.search(self.out)
        return float(match.group(1)) if match else self.seconds

    @property
    def new(self) -> int:
        match = _NEW.search(self.out)
        return int(match.group(1)) if match else 0


def descendants(pid: int) -> list[int]:
    """The pids below ``pid`` (children, their children, ...), from /proc."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                text = Path(f"/proc/{parent}/task/{task}/children").read_text()
            except OSError:
                continue
            for child in map(int, text.split()):
                found.append(child)
                todo.append(child)
    return found


def _rss_kb(pid: int) -> int:
    try:
        match = re.search(r"^VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text(), re.M)
    except OSError:
        return 0
    return int(match.group(1)) if match else 0


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def run(argv: list[str], env: dict[str, str], timeout: float = 1800.0) -> Finished:
    """Run ``newsetl argv`` to its end, measuring its memory."""
    log = tempfile.TemporaryFile()
    began = time.monotonic()
    process = subprocess.Popen([NEWSETL, *argv], env={**os.environ, **env}, stdout=log,
                               stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    tree = 0
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        tree = max(tree, sum(_rss_kb(p) for p in [process.pid, *descendants(process.pid)]))
        if time.monotonic() - began > timeout:
            process.kill()
        time.sleep(0.05)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - began
    log.seek(0)
    return Finished(process.returncode, log.read().decode(errors="replace"), seconds,
                    usage.ru_maxrss / 1024, tree / 1024)


def counts(db: Path) -> tuple:
    from newsetl.warehouse import Warehouse

    with Warehouse.open(db, read_only=True) as warehouse:
        return warehouse.query(COUNTS)[1][0]


class Bench:
    """Folders, the site server and the environment every command of the bench shares."""

    def __init__(self, work: Path, env: dict[str, str]) -> None:
        self.work = work
        self.env = env
        self.sites: dict[int, tuple[Path, object]] = {}
        self.supports_workers = _has_setting("workers")

    def site(self, articles: int) -> Path:
        """A feeds config for a site of ``articles`` pages (built and served once)."""
        if articles not in self.sites:
            root = self.work / f"site{articles}"
            build_site(root / "www", articles, 4)
            server, base = serve(root / "www")
            config = root / "feeds.toml"
            config.write_text("".join(f'[[feeds]]\nurl = "{base}/feed{n}.xml"\n\n'
                                      for n in range(4)))
            self.sites[articles] = (config, server)
        return self.sites[articles][0]

    def folder(self, name: str) -> Path:
        path = self.work / name
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        return path

    def ingest(self, articles: int, name: str, workers: int | None = None,
               **extra: str) -> Finished:
        folder = self.folder(name)
        env = {**self.env, **extra}
        if workers is not None and self.supports_workers:
            env["NEWSETL_WORKERS"] = str(workers)
        return run(["ingest", "--config", str(self.site(articles)), *where(folder)],
                   {**env, **archive_in(folder)})

    def close(self) -> None:
        for _, server in self.sites.values():
            server.shutdown()  # pyright: ignore[reportAttributeAccessIssue]


def where(folder: Path) -> list[str]:
    """The options that put a run's warehouse and corpus in ``folder`` (its archive is put
    there by NEWSETL_ARCHIVE: an older newsetl kept it in ./data/archive)."""
    return ["--db", str(folder / "news.duckdb"), "--corpus", str(folder / "corpus")]


def archive_in(folder: Path) -> dict[str, str]:
    return {"NEWSETL_ARCHIVE": str(folder / "archive")}


def _has_setting(name: str) -> bool:
    from newsetl.flows.settings import Settings

    return name in {f.name for f in dataclasses.fields(Settings)}


def bare_loop(site: Path) -> tuple[int, float]:
    """Articles and seconds of trafilatura + the dated format + quotes and claims over the
    site's pages, one page after another in this process (the spaCy model load included)."""
    from newsetl.extract.attribution import extract_attributions_many
    from newsetl.extract.nlp import load_nlp
    from newsetl.extract.records import article_from_html

    pages = sorted((site.parent / "www" / "a").glob("*.html"))
    fetched_at = dt.datetime.now(dt.UTC)
    load_nlp.cache_clear()
    began = time.perf_counter()
    done = 0
    for page in pages:
        article = article_from_html(page.read_bytes(), f"http://127.0.0.1/a/{page.name}",
                                    fetched_at)
        extract_attributions_many([article.content], [article.authors])
        done += 1
    return done, time.perf_counter() - began


def sql_during_ingest(bench: Bench, articles: int) -> dict[str, object]:
    """Start an ingest, and while it runs time ``newsetl sql`` SQL_TRIES times."""
    folder = bench.folder("sql")
    log = (folder / "ingest.log").open("wb")
    env = {**os.environ, **bench.env, **archive_in(folder)}
    ingest = subprocess.Popen([NEWSETL, "ingest", "--config", str(bench.site(articles)),
                               *where(folder)], env=env, stdout=log, stderr=subprocess.STDOUT)
    db = folder / "news.duckdb"
    deadline = time.monotonic() + 300
    while not db.exists() and ingest.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    times: list[float] = []
    answered = 0
    errors: list[str] = []
    for _ in range(SQL_TRIES):
        began = time.monotonic()
        done = subprocess.run([NEWSETL, "sql", "SELECT count(*) FROM articles", "--db", str(db),
                               "--fmt", "csv"], env=env, capture_output=True, text=True)
        took = time.monotonic() - began
        times.append(took)
        if done.returncode == 0 and took <= SQL_LIMIT:
            answered += 1
        elif done.returncode != 0:
            errors.append(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "?")
        time.sleep(0.3)
    still_running = ingest.poll() is None
    ingest.wait()
    log.close()
    return {"sql_answered_within_2s": f"{answered}/{SQL_TRIES}",
            "sql_max_s": round(max(times), 2), "sql_median_s": round(sorted(times)[len(times) // 2], 2),
            "sql_ingest_still_running_after": still_running,
            "sql_first_error": errors[0] if errors else ""}


def notebook_reads(bench: Bench, articles: int, tries: int = 60) -> dict[str, object]:
    """A notebook's short-lived read-only connections during an ingest: open, query, close,
    ``tries`` times; the seconds each took (waiting out a chunk's commit included)."""
    from newsetl.warehouse import Warehouse

    folder = bench.folder("notebook")
    log = (folder / "ingest.log").open("wb")
    env = {**os.environ, **bench.env, **archive_in(folder)}
    ingest = subprocess.Popen([NEWSETL, "ingest", "--config", str(bench.site(articles)),
                               *where(folder)], env=env, stdout=log, stderr=subprocess.STDOUT)
    db = folder / "news.duckdb"
    while not (db.exists() and (folder / "corpus").is_dir()) and ingest.poll() is None:
        time.sleep(0.05)
    took: list[float] = []
    failed = 0
    for _ in range(tries):
        began = time.monotonic()
        try:
            with Warehouse.open(db, read_only=True, lock_timeout=5) as warehouse:
                warehouse.query("SELECT count(*) FROM quotes")
        except Exception:  # noqa: BLE001 - a read that failed is the finding
            failed += 1
        took.append(time.monotonic() - began)
        time.sleep(0.1)
    running = ingest.poll() is None
    ingest.wait()
    log.close()
    took.sort()
    return {"notebook_reads": tries, "notebook_reads_failed": failed,
            "notebook_read_median_ms": round(took[len(took) // 2] * 1000),
            "notebook_read_max_ms": round(took[-1] * 1000),
            "notebook_ingest_still_running_after": running}


def dask_ingest(bench: Bench, articles: int) -> dict[str, object]:
    """The same ingest with its chunks on a local Dask cluster of 2 workers."""
    if not _has_setting("task_runner"):
        return {}
    done = bench.ingest(articles, "dask", workers=2, NEWSETL_TASK_RUNNER="dask")
    assert done.new == articles, done.out
    return {"dask_2_workers_articles_per_s": round(articles / done.run_seconds, 1),
            "dask_run_s": round(done.run_seconds, 1)}


def kills(bench: Bench, trials: int, articles: int, chunk: int) -> dict[str, object]:
    """kill -9 at random points of ingests that start their own Prefect engine (no
    PREFECT_API_URL); after each: open, re-run, compare, look for processes left over."""
    env = {k: v for k, v in bench.env.items() if k != "PREFECT_API_URL"}
    env["NEWSETL_CHUNK_SIZE"] = str(chunk)
    full_env = {**os.environ, **env}
    full_env.pop("PREFECT_API_URL", None)
    config = bench.site(articles)
    reference = bench.folder("kill-reference")
    done = run(["ingest", "--config", str(config), *where(reference)],
               {**env, **archive_in(reference), "PREFECT_API_URL": bench.env["PREFECT_API_URL"]})
    assert done.code == 0, done.out
    expected = counts(reference / "news.duckdb")
    rng = random.Random(11)
    opened = exact = orphans = cut = 0
    window = max(done.run_seconds, 1.0)
    for trial in range(trials):
        folder = bench.folder(f"kill{trial}")
        log = (folder / "killed.log").open("wb")
        process = subprocess.Popen([NEWSETL, "ingest", "--config", str(config), *where(folder)],
                                   env={**full_env, **archive_in(folder)}, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        began = time.monotonic()
        # after start-up: the first page is being archived
        while process.poll() is None and time.monotonic() - began < 300 and not archiving(folder):
            time.sleep(0.02)
        time.sleep(rng.uniform(0, window))
        below = descendants(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait()
        log.close()
        time.sleep(5)
        left = [p for p in below if alive(p)]
        if left:
            orphans += 1
            for pid in left:  # ours to end: started by the ingest this bench started
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        db = folder / "news.duckdb"
        try:
            stored = counts(db)[0] if db.exists() else 0
            opened += 1
        except Exception:  # noqa: BLE001 - a warehouse that does not open is the finding
            stored = -1
        cut += 0 < stored < articles
        again = run(["ingest", "--config", str(config), *where(folder)],
                    {**env, **archive_in(folder), "PREFECT_API_URL": bench.env["PREFECT_API_URL"]})
        if again.code == 0 and counts(db) == expected:
            exact += 1
    return {"kill_trials": trials, "kill_warehouse_opens": f"{opened}/{trials}",
            "kill_exact_after_rerun": f"{exact}/{trials}",
            "kill_trials_with_orphans": orphans, "kill_cut_a_run_in_progress": cut}


def dated_files(folder: Path, count: int, seed: int = 3) -> Path:
    """``count`` small dated files (one or two paragraphs each)."""
    from newsetl.extract.dated import corpus_name, format_dated

    words = "council harbour budget said minister river vote plan workers price".split()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        paragraphs = [" ".join(rng.choice(words) for _ in range(18)).capitalize() + ".",
                      f"\"We will build it,\" said Ana Ruiz in note {n}."]
        day = dt.date(2024, 1, 1) + dt.timedelta(days=n % 300)
        (folder / corpus_name(n + 1, f"{n:016x}")).write_text(format_dated(day, paragraphs),
                                                             encoding="utf-8")
    return folder


def backfills(bench: Bench, sizes: tuple[int, ...]) -> dict[str, object]:
    result: dict[str, object] = {}
    for size in sizes:
        files = dated_files(bench.work / f"dated{size}", size)
        folder = bench.folder(f"backfill{size}")
        done = run(["backfill", str(files), *where(folder)], {**bench.env, **archive_in(folder)})
        assert done.code == 0, done.out
        result[f"backfill_{size}_s"] = round(done.seconds, 1)
        result[f"backfill_{size}_peak_mb"] = round(done.own_peak_mb)
        result[f"backfill_{size}_tree_peak_mb"] = round(done.tree_peak_mb)
    return result


MEASURES = ("rss", "workers", "dask", "sql", "notebook", "kills", "backfill")


def targets(kill_trials: int, as_json: bool, only: str = "") -> int:
    """Measure every target (or those of ``only``, comma separated, of MEASURES); print the
    figures (and the ratios the targets name)."""
    chosen = {name.strip() for name in only.split(",") if name.strip()} or set(MEASURES)

    def want(name: str) -> bool:
        return name in chosen

    work = Path(tempfile.mkdtemp(prefix="newsetl-targets-"))
    from newsetl.flows.prefect_server import local_server

    home = work / "prefect"
    home.mkdir()
    result: dict[str, object] = {"cores": os.cpu_count(),
                                 "load_average_at_start": round(os.getloadavg()[0], 2)}
    env = {"PREFECT_HOME": str(home), "NEWSETL_HOST_DELAY": "0", "NEWSETL_PER_HOST": "8",
           "NEWSETL_OBEY_ROBOTS": "false", "NEWSETL_ROBOTS_CACHE": str(work / "robots")}
    try:
        with local_server(home) as url:
            bench = Bench(work, {**env, "PREFECT_API_URL": f"{url}/api"})
            try:
                if want("rss"):
                    small, large = bench.ingest(200, "rss200"), bench.ingest(800, "rss800")
                    assert small.new == 200 and large.new == 800, (small.out, large.out)
                    result |= {"rss_200_mb": round(small.own_peak_mb),
                               "rss_800_mb": round(large.own_peak_mb),
                               "rss_800_over_200": round(large.own_peak_mb
                                                         / small.own_peak_mb, 2),
                               "tree_rss_200_mb": round(small.tree_peak_mb),
                               "tree_rss_800_mb": round(large.tree_peak_mb),
                               "tree_rss_800_over_200": round(large.tree_peak_mb
                                                              / small.tree_peak_mb, 2),
                               "ingest_800_articles_per_s": round(800 / large.run_seconds, 1)}
                if want("workers") or want("dask"):
                    one = bench.ingest(400, "workers1", workers=1)
                    two = bench.ingest(400, "workers2", workers=2) if bench.supports_workers \
                        else one
                    result |= {"workers_setting": bench.supports_workers,
                               "ingest_1_worker_articles_per_s": round(400 / one.run_seconds, 1),
                               "ingest_2_workers_articles_per_s": round(400 / two.run_seconds,
                                                                        1),
                               "workers_2_over_1": round(one.run_seconds / two.run_seconds, 2)}
                    if want("workers"):
                        pages, seconds = bare_loop(bench.site(400))
                        result |= {"bare_loop_articles_per_s": round(pages / seconds, 1),
                                   "pipeline_1_worker_over_bare": round(
                                       (400 / one.run_seconds) / (pages / seconds), 2)}
                    if want("dask") and bench.supports_workers:
                        result |= dask_ingest(bench, 400)
                        dask_rate = float(result["dask_2_workers_articles_per_s"])  # pyright: ignore[reportArgumentType]
                        result["dask_over_threads_2_workers"] = round(
                            dask_rate / (400 / two.run_seconds), 2)
                if want("sql"):
                    result |= sql_during_ingest(bench, 800)
                if want("notebook"):
                    result |= notebook_reads(bench, 800)
                if want("kills") and kill_trials:
                    result |= kills(bench, kill_trials, 60, 10)
                if want("backfill"):
                    result |= backfills(bench, (2500, 10000))
                    result["backfill_10000_over_2500"] = round(
                        float(result["backfill_10000_peak_mb"])  # pyright: ignore[reportArgumentType]
                        / float(result["backfill_2500_peak_mb"]), 2)  # pyright: ignore[reportArgumentType]
            finally:
                bench.close()
    finally:
        result["load_average_at_end"] = round(os.getloadavg()[0], 2)
        shutil.rmtree(work, ignore_errors=True)
    if as_json:
        print(json.dumps(result))
    else:
        width = max(map(len, result))
        for key, value in result.items():
            print(f"{key:<{width}}  {value}")
    return 0


def archiving(folder: Path) -> bool:
    """Whether the run in ``folder`` has started writing its archive (start-up is over)."""
    return (folder / "archive").is_dir() and any((folder / "archive").glob("*.open"))
