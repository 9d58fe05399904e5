"""Golden quotes and claims of the bundled sample articles (``seeds/sample`` pages and the
reference article), compared by ``tests/test_golden.py``.

    python -m tests.golden            # say whether the extractors still agree with the file
    python -m tests.golden --update   # rewrite tests/cases/golden_attributions.json

Regenerate only on purpose, and review the diff: it is what the extractors now say.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "cases" / "golden_attributions.json"
SEED = ROOT / "seeds" / "000_e00214b99a58ad9b.txt"
PAGES = ROOT / "seeds" / "sample" / "pages"
# pages without a date of their own get this one: the golden must not depend on the clock
_NO_DATE = dt.date(2024, 1, 1)


def sample_texts() -> dict[str, str]:
    """Each sample article's dated text, by its path under seeds/."""
    from newsetl.extract.article import extract_article
    from newsetl.extract.dated import format_dated

    texts = {str(SEED.relative_to(ROOT / "seeds")): SEED.read_text(encoding="utf-8")}
    for page in sorted(PAGES.rglob("*.html")):
        found = extract_article(page.read_bytes(), page.as_uri())
        texts[str(page.relative_to(ROOT / "seeds"))] = format_dated(found.date or _NO_DATE,
                                                                    found.paragraphs)
    return texts


def current() -> dict[str, Any]:
    """What the extractors say about every sample article now."""
    from newsetl.extract.attribution import extract_attributions_many

    texts = sample_texts()
    found = extract_attributions_many(list(texts.values()))
    return {
        name: {
            "quotes": [q.to_dict() for q in a.quotes],
            "claims": [c.to_dict() for c in a.claims],
            "entities": [e.to_dict() for e in a.entities],
        }
        for name, a in zip(texts, found, strict=True)
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.golden", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--update", action="store_true", help="rewrite the golden file")
    args = parser.parse_args(argv)
    now = current()
    if args.update:
        GOLDEN.write_text(json.dumps(now, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {GOLDEN.relative_to(ROOT)}: {len(now)} articles; review the diff")
        return 0
    old = json.loads(GOLDEN.read_text(encoding="utf-8")) if GOLDEN.is_file() else {}
    changed = sorted(k for k in now.keys() | old.keys() if now.get(k) != old.get(k))
    for name in changed:
        print(f"changed: {name}")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
