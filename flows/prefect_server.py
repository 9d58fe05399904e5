"""The local Prefect server on 127.0.0.1: the one ``newsetl serve`` runs (a temporary one
cannot schedule, STACK.md), which serve announces in a file under PREFECT_HOME so that every
flow command started meanwhile reuses it; else a temporary one for the command.

Every server newsetl starts dies with the process that started it, kill -9 included: it runs
under a small launcher (this module's ``__main__``) that asks the kernel for a signal when
its parent dies and watches the parent besides, and then stops its whole process group.
Nothing here imports Prefect: the server runs as a subprocess.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from newsetl.errors import NewsetlError

SERVER_FILE = "newsetl-server.json"
"""under PREFECT_HOME: the address and process of the server ``newsetl serve`` runs"""
_HEALTH_TIMEOUT = 2.0
_WATCH = 0.5
"""seconds between two looks of the launcher at its parent"""


class ServerError(NewsetlError):
    """The local Prefect server did not start."""


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def running_server(home: Path) -> str | None:
    """The address of the server ``newsetl serve`` announced under ``home``, if it is alive
    and healthy."""
    try:
        info = json.loads((home / SERVER_FILE).read_text())
        url, pid = str(info["url"]), int(info["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return None
    return url if _healthy(url) else None


@contextmanager
def shared_or_temporary(home: Path, timeout: float = 120.0) -> Iterator[str]:
    """A Prefect server for one command: serve's, when it runs (announced under ``home``),
    else a temporary one that lives as long as the block (and no longer, whatever ends the
    process). Yields its address."""
    url = running_server(home)
    if url is not None:
        yield url
        return
    with local_server(home, timeout) as url:
        yield url


@contextmanager
def local_server(home: Path, timeout: float = 120.0, announce: bool = False) -> Iterator[str]:
    """Run ``prefect server start`` on 127.0.0.1 while the block runs; yield its address.
    ``announce`` writes it under ``home`` for other commands to reuse (serve)."""
    port = free_port()
    log = (home / "server.log").open("ab")
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           # the UI asks this address for the API; by default it is 127.0.0.1:4200, whatever
           # port the server listens on, and the UI says "Unable to connect"
           "PREFECT_UI_API_URL": f"{url}/api", "PREFECT_SERVER_API_HOST": "127.0.0.1",
           "PREFECT_SERVER_API_PORT": str(port)}
    env.pop("PREFECT_API_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "newsetl.flows.prefect_server", str(os.getpid()),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
    )
    announced = home / SERVER_FILE
    try:
        _wait_healthy(url, process, timeout, home / "server.log")
        if announce:
            temporary = announced.with_suffix(".tmp")
            temporary.write_text(json.dumps({"url": url, "pid": os.getpid()}))
            temporary.replace(announced)
        yield url
    finally:
        if announce:
            with contextlib.suppress(OSError, ValueError):
                if json.loads(announced.read_text()).get("url") == url:
                    announced.unlink()
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/health", timeout=_HEALTH_TIMEOUT) as response:
            return response.status == 200
    except OSError:
        return False


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"the local Prefect server exited with {process.returncode}; "
                              f"see {log}")
        try:
            with urllib.request.urlopen(f"{url}/api/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise ServerError(f"the local Prefect server did not answer within {timeout:.0f} s; "
                      f"see {log}")


def _launch(parent: int, arguments: list[str]) -> None:
    """Run the Prefect server in this process until ``parent`` is gone: the kernel sends
    SIGTERM when it dies (Linux), and a watcher thread stops this whole process group (the
    server and anything it started) once it is."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_WATCH)
        os.killpg(os.getpgrp(), signal.SIGKILL)

    if os.getppid() != parent:
        return
    threading.Thread(target=watch, daemon=True, name="newsetl-parent-watch").start()
    from prefect.cli import app

    sys.argv = ["prefect", "server", "start", *arguments]
    app()


if __name__ == "__main__":
    _launch(int(sys.argv[1]), sys.argv[2:])
