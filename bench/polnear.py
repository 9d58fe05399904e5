"""Read the PolNeAR attribution corpus (brat standoff) into plain records.

The corpus layout is described in ``shared/data/polnear/README.md``: one ``.txt`` per
article and one ``.ann`` per annotator; we keep the first annotator listed in
``metadata.tsv``, as the evaluation protocol asks.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

Span = tuple[int, int]

# double quotation marks as newsrooms print them; the doubled ascii forms are handled apart
DOUBLE_MARKS = frozenset('"“”„‟«»')


@dataclass(frozen=True)
class Attribution:
    """One gold attribution: content, source and cue spans (each possibly discontinuous)."""

    content: tuple[Span, ...]
    source: tuple[Span, ...]
    cue: tuple[Span, ...]
    kind: str  # "direct", "mixed" or "indirect", from the content's quotation marks


@dataclass(frozen=True)
class Document:
    """One PolNeAR article with the first annotator's attributions."""

    name: str
    text: str
    attributions: tuple[Attribution, ...]


class CorpusMissing(Exception):
    """The PolNeAR folder or one of its parts is not where it was expected."""


def has_double_mark(s: str) -> bool:
    """Whether ``s`` holds a double quotation mark (typographic, guillemet, ``''`` or ````)."""
    return any(c in DOUBLE_MARKS for c in s) or "''" in s or "``" in s


def content_kind(content: str) -> str:
    """Classify gold content text as direct, mixed or indirect (README's definition)."""
    if not has_double_mark(content):
        return "indirect"
    s = content.strip()
    # trailing punctuation aside: `"...".` or `"...,"` still count as fully quoted
    while s and s[-1] in ".,;:!?)]—-– " and not s.endswith(("''",)):
        if s[-1] in DOUBLE_MARKS:
            break
        s = s[:-1]
    opens = s[:1] in DOUBLE_MARKS or s.startswith(("``", "''"))
    closes = s[-1:] in DOUBLE_MARKS or s.endswith("''")
    return "direct" if opens and closes else "mixed"


def _parse_offsets(offsets: str) -> tuple[Span, ...]:
    spans = []
    for frag in offsets.split(";"):
        start, end = frag.split()
        spans.append((int(start), int(end)))
    return tuple(spans)


def parse_ann(ann: str, text: str) -> tuple[Attribution, ...]:
    """Parse one brat ``.ann`` file into attributions, in file order."""
    spans: dict[str, tuple[str, tuple[Span, ...]]] = {}
    rels: list[dict[str, str]] = []
    for line in ann.splitlines():
        if line.startswith("T") and "\t" in line:
            tid, info = line.split("\t")[:2]
            label, _, offsets = info.partition(" ")
            try:
                spans[tid] = (label, _parse_offsets(offsets))
            except ValueError:
                continue
        elif line.startswith("E") and "\t" in line:
            args = line.split("\t")[1].split()
            rels.append(dict(a.split(":", 1) for a in args if ":" in a))
    out = []

    def get(rel: dict[str, str], role: str) -> tuple[Span, ...]:
        tid = rel.get(role)
        return spans[tid][1] if tid in spans else ()

    for rel in rels:
        content = get(rel, "Content") + get(rel, "Content2")
        if not content:
            continue
        content_text = " ".join(text[s:e] for s, e in content)
        out.append(
            Attribution(
                content=content,
                source=get(rel, "Source"),
                cue=get(rel, "Cue"),
                kind=content_kind(content_text),
            )
        )
    return tuple(out)


def read_split(root: Path, split: str) -> Iterator[Document]:
    """Yield the documents of one split (``train`` or ``dev``) in metadata order.

    Raises:
        CorpusMissing: if ``root`` or the split folder does not exist.
    """
    meta = root / "metadata.tsv"
    if not meta.is_file():
        raise CorpusMissing(f"no PolNeAR metadata at {meta}; pass --polnear DIR")
    if not (root / split / "text").is_dir():
        raise CorpusMissing(f"PolNeAR split {split!r} not found under {root}")
    with meta.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["compartment"] == split]
    for row in rows:
        name = row["filename"]
        text = (root / split / "text" / f"{name}.txt").read_text(encoding="utf-8")
        annotator = row["annotators"].split("|")[0]
        ann_path = root / split / "attributions" / f"{name}_{annotator}.ann"
        ann = ann_path.read_text(encoding="utf-8") if ann_path.is_file() else ""
        yield Document(name=name, text=text, attributions=parse_ann(ann, text))
