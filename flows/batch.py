"""What a task makes of a batch of inputs, and the one way an input's failure becomes a run error.

Every task that handles many inputs (feeds, pages, records, files, sitemap entries, articles)
returns a ``Batch``: the items that came through and a ``RunError`` for each input that did
not. Any exception raised while handling one input is that input's error and the batch goes
on, unless it is fatal to the whole run (``is_fatal``): a bad config, an unusable
warehouse, a full disk, Ctrl-C. ``ErrorPolicy.RAISE`` makes unexpected errors (bugs, not
named input errors) raise with their traceback instead.

A task is a batch so that a chunk can go its whole way on its own: fetched, extracted,
attributed and stored in one short transaction (``flows.store``).
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from newsetl.errors import NewsetlError
from newsetl.values import ErrorPolicy, Stage
from newsetl.warehouse.db import fatal_error, interrupted
from newsetl.warehouse.runs import RunError

T = TypeVar("T")
_ROOT = Path(__file__).resolve().parents[1]


def is_fatal(error: BaseException) -> bool:
    """Whether ``error`` stops the run rather than one input: Ctrl-C and other stops from
    outside, a bad config or an unusable warehouse (``NewsetlError.fatal``), a full disk."""
    if not isinstance(error, Exception) or interrupted(error):
        return True
    if isinstance(error, NewsetlError):
        return error.fatal
    # a full disk or a damaged warehouse, however it surfaced (an OSError, DuckDB's words)
    return fatal_error(error) is not None


def run_error(stage: Stage, source: str, error: Exception) -> RunError:
    """The run error of one input: the error's kind (a fetch's ``kind``) or class name, and
    its message; an unexpected error (a bug) also says where it was raised."""
    kind = getattr(error, "kind", None)
    name = kind if isinstance(kind, str) and kind else type(error).__name__
    if isinstance(error, NewsetlError):
        return RunError(Stage(stage), source, name, str(error))
    if isinstance(error, OSError):
        return RunError(Stage(stage), source, name, f"{error.filename or source}: cannot be "
                        f"read: {error.strerror or error}")
    return RunError(Stage(stage), source, name,
                    f"unexpected {type(error).__name__}: {error}{where_raised(error)}; "
                    "the input was skipped (please report it, with this message)")


def is_expected(error: BaseException) -> bool:
    """Whether ``error`` is a named input error (a NewsetlError: a 404, a page without text, a
    damaged file) or the system's word on a file (OSError), rather than a bug."""
    return isinstance(error, NewsetlError | OSError)


def must_raise(error: BaseException, policy: ErrorPolicy) -> bool:
    """Whether ``error`` goes up instead of being recorded: it is fatal to the run, or
    unexpected under ``ErrorPolicy.RAISE``."""
    return is_fatal(error) or (policy == ErrorPolicy.RAISE and not is_expected(error))


def isolate(stage: Stage, source: str, error: Exception, policy: ErrorPolicy) -> RunError:
    """``error``, raised while handling the input ``source``, as its run error; raised again
    if it must be (``must_raise``)."""
    if must_raise(error, policy):
        raise error  # the CLI names it (a full disk, a damaged warehouse: fatal_error)
    return run_error(stage, source, error)


@dataclass
class Batch(Generic[T]):
    """The result of a task over many inputs: items that came through, errors of the rest."""

    items: list[T] = field(default_factory=list)
    errors: list[RunError] = field(default_factory=list)
    policy: ErrorPolicy = ErrorPolicy.RECORD

    @contextmanager
    def attempt(self, stage: Stage, source: str) -> Iterator[None]:
        """Handle one input in the block: an exception raised in it becomes the input's
        error (see ``isolate``) and the block is left; the batch goes on."""
        try:
            yield
        except Exception as error:  # noqa: BLE001 - every error of one input is that input's
            self.errors.append(isolate(stage, source, error, self.policy))

    def add(self, other: Batch[T]) -> Batch[T]:
        """Take in another batch's items and errors; return self."""
        self.items.extend(other.items)
        self.errors.extend(other.errors)
        return self

    @classmethod
    def joined(cls, batches: Iterable[Batch[T]], policy: ErrorPolicy = ErrorPolicy.RECORD
               ) -> Batch[T]:
        """One batch holding the items and errors of ``batches``, in order."""
        joined: Batch[T] = cls(policy=policy)
        for batch in batches:
            joined.add(batch)
        return joined


def where_raised(error: BaseException) -> str:
    """' (at flows/ingest.py:123 in fetch_feed)': the innermost frame of our own code (for
    an error raised in a worker process, where the worker saw it raised)."""
    remote = getattr(error, "newsetl_where", None)
    if isinstance(remote, str):
        return remote
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if Path(f.filename).resolve().is_relative_to(_ROOT)
            and ".venv" not in Path(f.filename).parts]
    frame = (ours or frames or [None])[-1]
    if frame is None:
        return ""
    path = Path(frame.filename)
    shown = path.resolve().relative_to(_ROOT).as_posix() if path.resolve().is_relative_to(
        _ROOT) else path.name
    return f" (at {shown}:{frame.lineno} in {frame.name})"
