"""Scheduled ingestion: one Prefect deployment per poll interval, served from this process.

Import it only after Prefect's environment is set (flows.settings.configure_prefect and
PREFECT_API_URL): Prefect reads its settings at import.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from prefect import flow, serve
from prefect.deployments.runner import EntrypointType

from newsetl.flows.config import load_config
from newsetl.flows.ingest import ingest_flow
from newsetl.flows.settings import Settings, from_environment


def groups(config_path: str, default_interval: int) -> dict[int, list[str]]:
    """Feed URLs of a config grouped by their poll interval in seconds."""
    found: dict[int, list[str]] = {}
    for feed in load_config(config_path).feeds:
        found.setdefault(feed.interval or default_interval, []).append(feed.url)
    return found


def scheduled_settings(config_path: str, overrides: dict[str, Any]) -> Settings:
    """The settings of a scheduled run: config, environment, then the serve command's options."""
    config = load_config(config_path)
    settings = from_environment(Settings().merged(config.settings, config_path))
    return settings.merged(overrides, "serve options")


@flow(name="scheduled-ingest", log_prints=False)
def scheduled_ingest(config: str, interval: int, overrides: dict[str, Any]) -> dict[str, int]:
    """Ingest the feeds of ``config`` that poll every ``interval`` seconds."""
    # the config is read at each run: edits apply without restarting serve
    settings = scheduled_settings(config, overrides)
    feeds = [f for f in load_config(config).feeds
             if (f.interval or settings.interval) == interval]
    return ingest_flow(feeds, settings, due_only=True).counts()


def serve_feeds(config_path: str, overrides: dict[str, Any], default_interval: int) -> None:
    """Serve one deployment per poll interval until interrupted."""
    config = str(Path(config_path).resolve())
    deployments = [
        scheduled_ingest.to_deployment(
            name=f"every-{interval}s",
            interval=interval,
            parameters={"config": config, "interval": interval, "overrides": overrides},
            concurrency_limit=1,
            entrypoint_type=EntrypointType.MODULE_PATH,
            description=f"ingest {len(urls)} feed(s) every {interval} s",
        )
        for interval, urls in sorted(groups(config, default_interval).items())
    ]
    with _ctrl_c_stops_runs():
        serve(*deployments, print_starting_message=False)


@contextmanager
def _ctrl_c_stops_runs() -> Iterator[None]:
    """Ctrl-C stops serve as SIGTERM does: Prefect's runner then cancels the flow runs in
    progress (they end 'interrupted' in runs) and returns. Left to itself, a Ctrl-C during a
    poll is held until the run ends, and the schedule goes on. A second Ctrl-C quits at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pressed = []

    def on_ctrl_c(signum: int, frame: object) -> None:
        if pressed:
            raise KeyboardInterrupt
        pressed.append(signum)
        os.kill(os.getpid(), signal.SIGTERM)

    previous = signal.signal(signal.SIGINT, on_ctrl_c)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
