"""Duplicates: the same text under another id is marked exact, a lightly edited one near."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsetl.extract.simhash import distance, simhash
from newsetl.flows.backfill import backfill_flow
from newsetl.warehouse import Warehouse
from tests.conftest import SEED, settings_for

pytestmark = pytest.mark.usefixtures("prefect_harness")


def test_simhash_is_close_for_an_edit_and_far_for_another_text() -> None:
    text = SEED.read_text(encoding="utf-8")
    edited = text.replace("Too many people dead.", "Too many people are dead.")
    other = " ".join(reversed(text.split()))
    assert simhash(text) == simhash(text)
    assert distance(simhash(text), simhash(edited)) <= 6
    assert distance(simhash(text), simhash(other)) > 16


def test_copies_are_marked_with_the_article_they_repeat(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    text = SEED.read_text(encoding="utf-8")
    (archive / "001_00000000000000a1.txt").write_text(text)
    settings = settings_for(tmp_path)
    backfill_flow([str(archive / "001_00000000000000a1.txt")], settings)
    # a later copy under another date and id, and a lightly edited one
    (archive / "002_00000000000000b2.txt").write_text(text.replace("2024-11-07", "2024-11-08"))
    (archive / "003_00000000000000c3.txt").write_text(
        text.replace("Too many people dead.", "Too many people are dead."))
    (archive / "004_00000000000000d4.txt").write_text(" date 2024-11-07 " + " ".join(
        reversed(text.split()[2:])) + "\n\n")
    backfill_flow([str(archive)], settings)

    with Warehouse.open(settings.db, read_only=True) as warehouse:
        marked = warehouse.query("SELECT article_id, duplicate_of, duplicate_kind FROM articles"
                                 " ORDER BY article_id")[1]
        speakers = warehouse.query("SELECT speaker, quotes FROM speakers ORDER BY speaker")[1]
    assert marked == [
        ("00000000000000a1", None, None),
        ("00000000000000b2", "00000000000000a1", "exact"),
        ("00000000000000c3", "00000000000000a1", "near"),
        ("00000000000000d4", None, None),
    ]
    # repeats do not count twice in who is quoted
    assert ("Donald Trump", 2) in speakers
