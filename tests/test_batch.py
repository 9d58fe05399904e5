"""One batch result and one converter from exception to run error: an input's failure is that
input's, whatever it raised; only what is fatal to the whole run goes up."""

from __future__ import annotations

import errno
import inspect

import pytest

from newsetl.extract.article import NoArticleText
from newsetl.flows.batch import Batch, is_fatal, run_error
from newsetl.flows.settings import ConfigError, Settings, from_environment
from newsetl.values import ErrorPolicy, Stage
from newsetl.warehouse import WarehouseError, WarehouseLocked
from newsetl.warehouse.runs import RunError


def handled(policy: ErrorPolicy, *errors: BaseException | None) -> Batch[int]:
    """A batch over inputs 0, 1, ...: input n raises errors[n], or comes through."""
    batch: Batch[int] = Batch(policy=policy)
    for n, error in enumerate(errors):
        with batch.attempt(Stage.ARTICLE, f"https://news.example/{n}"):
            if error is not None:
                raise error
            batch.items.append(n)
    return batch


@pytest.mark.parametrize("policy", list(ErrorPolicy))
def test_named_input_errors_are_recorded_under_every_policy(policy: ErrorPolicy) -> None:
    batch = handled(policy, None, NoArticleText("https://news.example/1"),
                    FileNotFoundError(errno.ENOENT, "No such file or directory", "/a/b.txt"), None)
    assert batch.items == [0, 3]
    assert batch.errors == [
        RunError(Stage.ARTICLE, "https://news.example/1", "NoArticleText",
                 "page https://news.example/1 has no article text: no main text found"),
        RunError(Stage.ARTICLE, "https://news.example/2", "FileNotFoundError",
                 "/a/b.txt: cannot be read: No such file or directory"),
    ]


def test_an_unexpected_error_is_recorded_with_where_it_was_raised() -> None:
    batch = handled(ErrorPolicy.RECORD, None, KeyError("title"), ZeroDivisionError("no"), None)

    assert batch.items == [0, 3]
    assert [(e.stage, e.input, e.error) for e in batch.errors] == [
        (Stage.ARTICLE, "https://news.example/1", "KeyError"),
        (Stage.ARTICLE, "https://news.example/2", "ZeroDivisionError")]
    lines, first = inspect.getsourcelines(handled)
    raised_at = first + next(i for i, line in enumerate(lines) if "raise error" in line)
    assert batch.errors[0].message == (
        f"unexpected KeyError: 'title' (at tests/test_batch.py:{raised_at} in handled); the "
        "input was skipped (please report it, with this message)")


def test_the_raise_policy_raises_an_unexpected_error_with_its_traceback() -> None:
    with pytest.raises(KeyError) as raised:
        handled(ErrorPolicy.RAISE, None, KeyError("title"), None)
    assert raised.traceback[-1].name == "handled"


@pytest.mark.parametrize("error", [
    ConfigError("bad config"),
    WarehouseError("the warehouse is gone"),
    WarehouseLocked.__new__(WarehouseLocked),
    OSError(errno.ENOSPC, "No space left on device"),
    KeyboardInterrupt(),
    SystemExit(1),
], ids=["config", "warehouse", "locked", "disk_full", "ctrl_c", "exit"])
def test_what_is_fatal_to_the_run_is_never_recorded(error: BaseException) -> None:
    assert is_fatal(error)
    with pytest.raises(type(error)):
        handled(ErrorPolicy.RECORD, None, error, None)


def test_batches_join_in_order() -> None:
    first = handled(ErrorPolicy.RECORD, None, ValueError("x"))
    second = handled(ErrorPolicy.RECORD, None, None)
    joined = Batch.joined([first, second])
    assert joined.items == [0, 0, 1]
    assert [e.input for e in joined.errors] == ["https://news.example/1"]


def test_the_error_kind_of_a_fetch_names_the_error() -> None:
    from newsetl.flows.fetch import FetchError

    error = run_error(Stage.FEED, "https://news.example/rss", FetchError(
        "https://news.example/rss", "http_404", "Not Found", status=404))
    assert error == RunError(Stage.FEED, "https://news.example/rss", "http_404",
                             "https://news.example/rss: http_404: Not Found")


def test_the_policy_is_a_setting() -> None:
    assert Settings().error_policy == ErrorPolicy.RECORD
    assert from_environment(Settings(), {"NEWSETL_ERROR_POLICY": "Raise"}).error_policy == \
        ErrorPolicy.RAISE
    with pytest.raises(ConfigError) as refused:
        from_environment(Settings(), {"NEWSETL_ERROR_POLICY": "ignore"})
    assert str(refused.value) == ("environment: setting 'error_policy' must be one of 'record', "
                                  "'raise', not 'ignore'")
