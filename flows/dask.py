"""Chunks on a Dask cluster (prefect-dask): ``task_runner = "dask"`` sends each chunk's pages
to a Dask worker for the per-page work (extraction, the dated format, quotes and claims),
while the flow keeps what must stay one: the fetching (per-host politeness lives in one
place), the raw archive and the warehouse's one writer.

By default a local ``distributed`` cluster of ``workers`` processes, one thread each, is
started for the run; ``dask_address`` names a running scheduler instead. Each Dask worker
does its pages in a worker process of its own (``flows.extraction``), so the per-page time
limit and memory cap hold there too.
"""

from __future__ import annotations

from prefect.task_runners import TaskRunner

from newsetl.flows.settings import ConfigError, Settings


def dask_runner(settings: Settings) -> TaskRunner:
    """A DaskTaskRunner for the chunks: a local cluster, or the one at ``dask_address``."""
    try:
        from prefect_dask.task_runners import DaskTaskRunner
    except ImportError:
        raise ConfigError("task_runner 'dask' needs prefect-dask: pip install "
                          "'newsetl[dask]'") from None
    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)  # pyright: ignore[reportReturnType]
    return DaskTaskRunner(  # pyright: ignore[reportReturnType]
        cluster_kwargs={"n_workers": settings.workers, "threads_per_worker": 1,
                        "processes": True, "dashboard_address": None})


def worker_settings(settings: Settings) -> Settings:
    """The settings a Dask worker processes its chunk with: one worker process of its own
    (the cluster's workers are the parallelism)."""
    return settings.merged({"workers": 1}, "dask worker")
