"""Bugs planted in the worker processes: the per-page work (extraction, the dated format,
quotes and claims) runs in fresh interpreters, which a monkeypatch of this process never
reaches. ``plant`` writes a ``sitecustomize`` that every new Python process of the test
imports at start-up; it patches the named functions to raise the named error for the named
input, as ``failing_for`` does here. The workers are restarted before and after the test."""

from __future__ import annotations

import builtins
import importlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

ENV = "NEWSETL_TEST_BUGS"
planted = [False]
"""whether this test planted bugs: the workers are restarted after it (conftest)"""
_SITE = """\
import os
if os.environ.get("NEWSETL_TEST_BUGS"):
    from tests.bugs import install
    install()
"""


def plant(monkeypatch: pytest.MonkeyPatch, folder: Path, bugs: list[dict[str, Any]]) -> None:
    """Make ``bugs`` happen in every worker started from now on. A bug: ``module`` and
    ``name`` of the function, ``error`` (a builtin exception's name) and ``message``, and
    when: ``arg`` (the index of the positional argument looked at) ``equals`` a value, or
    (a list of texts) has one that ``contains`` a value. Or, instead of an error, ``wrap``:
    ``"tests.module:function"``, called with the real function, returning its stand-in."""
    from newsetl.flows.extraction import stop_workers

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(_SITE)
    path = os.pathsep.join([str(folder), str(ROOT), os.environ.get("PYTHONPATH", "")])
    monkeypatch.setenv("PYTHONPATH", path.rstrip(os.pathsep))
    monkeypatch.setenv(ENV, json.dumps(bugs))
    stop_workers()
    planted[0] = True


def cure() -> None:
    """Restart the workers without the bugs (call after ``monkeypatch.undo()``)."""
    from newsetl.flows.extraction import stop_workers

    stop_workers()
    planted[0] = False


def install() -> None:
    """Patch the functions that the bugs of NEWSETL_TEST_BUGS name (in a worker)."""
    for bug in json.loads(os.environ[ENV]):
        module = importlib.import_module(bug["module"])
        setattr(module, bug["name"], _failing(getattr(module, bug["name"]), bug))


def _failing(real: Any, bug: dict[str, Any]) -> Any:
    if "wrap" in bug:
        module, name = bug["wrap"].split(":")
        return getattr(importlib.import_module(module), name)(real)
    error = getattr(builtins, bug["error"])

    def call(*args: Any, **kwargs: Any) -> Any:
        value = args[bug.get("arg", 0)] if len(args) > bug.get("arg", 0) else None
        if ("equals" in bug and value == bug["equals"]) or (
                "contains" in bug and any(bug["contains"] in text for text in value or ())):
            raise error(bug["message"])
        return real(*args, **kwargs)
    return call
