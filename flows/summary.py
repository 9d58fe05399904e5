"""What a run did, as the CLI prints it and the runs table keeps it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from newsetl.values import Flow, Note, RunStatus, Stage, Target
from newsetl.warehouse.runs import RunError

_COUNTED_ELSEWHERE = (Stage.FEED, Stage.ATTRIBUTIONS)
"""stages whose errors are no failed input of a run's ``failed``: a feed's (counted as
feeds) and an article's quotes and claims (the article loaded without them)"""
_NOTES = frozenset(Note)


def failed_inputs(errors: Iterable[RunError]) -> int:
    """How many inputs (pages, records, files, list entries) a run could not load: its
    errors, but notes on inputs that loaded (a cut text) and errors counted elsewhere.
    Every flow's ``failed`` count is this."""
    return sum(1 for e in errors if e.stage not in _COUNTED_ELSEWHERE and e.error not in _NOTES)


@dataclass(frozen=True)
class RunSummary:
    """The counts of one ingest or backfill run."""

    run_id: str
    flow: Flow
    status: RunStatus
    feeds_ok: int
    feeds_failed: int
    articles_new: int
    articles_updated: int
    articles_unchanged: int
    articles_failed: int
    files_failed: int
    errors: int
    seconds: float
    articles_skipped: int = 0
    """read but outside the --since / --until range"""
    feeds_not_modified: int = 0
    """feeds counted ok whose server said (or whose body showed) nothing changed"""

    def counts(self) -> dict[str, int]:
        """The counts alone, for the runs table."""
        return {k: v for k, v in asdict(self).items() if isinstance(v, int)}

    def render(self) -> str:
        """A few lines for the terminal."""
        lines = [f"{self.flow} run {self.run_id[:12]} {self.status} in {self.seconds:.1f} s"]
        if self.flow == Flow.INGEST:
            unchanged = f" ({self.feeds_not_modified} not modified)" if self.feeds_not_modified else ""
            lines.append(f"  feeds:    {self.feeds_ok} ok{unchanged}, {self.feeds_failed} failed")
        lines.append(
            f"  articles: {self.articles_new} new, {self.articles_updated} updated, "
            f"{self.articles_unchanged} unchanged, "
            f"{self.articles_failed + self.files_failed} failed"
            + (f", {self.articles_skipped} outside the dates" if self.articles_skipped else "")
        )
        if self.errors:
            lines.append(
                f"  errors:   {self.errors} recorded; see them with: newsetl sql "
                f"\"SELECT stage, input, message FROM run_errors WHERE run_id = '{self.run_id}'\""
            )
        return "\n".join(lines)


@dataclass(frozen=True)
class ReprocessSummary:
    """What a reprocess run re-extracted and what changed."""

    run_id: str
    what: Target
    seconds: float
    articles_checked: int
    articles_changed: int
    articles_unarchived: int
    quotes_articles: int
    quotes_written: int
    claims_articles: int
    claims_written: int
    errors: int

    def render(self) -> str:
        """A few lines for the terminal."""
        lines = [f"reprocess run {self.run_id[:12]} completed in {self.seconds:.1f} s"]
        if self.what.includes(Target.ARTICLE):
            lines.append(f"  articles: {self.articles_checked} re-extracted from the archive, "
                         f"{self.articles_changed} changed, {self.articles_unarchived} "
                         "not archived (left as they are)")
        if self.what.includes(Target.QUOTES):
            lines.append(f"  quotes:   {self.quotes_articles} articles re-extracted, "
                         f"{self.quotes_written} quotes written")
        if self.what.includes(Target.CLAIMS):
            lines.append(f"  claims:   {self.claims_articles} articles re-extracted, "
                         f"{self.claims_written} claims written")
        if self.errors:
            lines.append(f"  errors:   {self.errors} recorded in run_errors")
        return "\n".join(lines)


def backfill_summary(run_id: str, totals: dict[str, int], errors: int, seconds: float,
                     failed_are_files: bool) -> RunSummary:
    """The summary of a backfill from its running totals (new, updated, unchanged, skipped,
    failed) and the errors it recorded; failures are files (dated files, WARCs) or articles
    (fetched pages)."""
    return RunSummary(
        run_id=run_id, flow=Flow.BACKFILL, status=RunStatus.COMPLETED, feeds_ok=0,
        feeds_failed=0, articles_new=totals["new"], articles_updated=totals["updated"],
        articles_unchanged=totals["unchanged"],
        articles_failed=0 if failed_are_files else totals["failed"],
        files_failed=totals["failed"] if failed_are_files else 0,
        errors=errors, seconds=seconds, articles_skipped=totals["skipped"],
    )
