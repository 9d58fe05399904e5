"""The dated plain-text format: normalising, writing, reading, and naming bad files."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsetl.extract.dated import (
    DatedText,
    corpus_name,
    format_dated,
    normalize_paragraph,
    normalize_text,
    parse_dated,
    read_dated,
    split_name,
    write_dated,
)
from newsetl.extract.errors import (
    ByteOrderMark,
    CRLFLineEnd,
    DatedFormatError,
    EmptyBody,
    InvalidDate,
    LayoutError,
    MissingDateLine,
    NotUTF8,
    NulByte,
)
from tests.conftest import SEED


def test_seed_parses_into_its_paragraphs(seed_text: str) -> None:
    doc = parse_dated(seed_text, str(SEED))
    assert doc.date == dt.date(2024, 11, 7)
    assert len(doc.paragraphs) == 10
    assert doc.paragraphs[0].startswith("Democratic President Joe Biden is reportedly trying")
    assert doc.paragraphs[-1].endswith("Too many people dead.\"")


def test_writing_the_parsed_seed_gives_its_bytes_back(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_dated(target, read_dated(SEED))
    assert target.read_bytes() == SEED.read_bytes()


def test_normalisation_folds_what_the_format_folds() -> None:
    raw = (
        "\u201cWe agreed,\u201d said\u00a0Zelenskyy\u2019s aide \u2018quietly\u2019.\n"
        "  \n\tSecond\u2003paragraph \u00abguillemets\u00bb\u200b and soft\u00adhyphen  \n"
        "e\u0301t\u00e9\u2028next"
    )
    assert normalize_text(raw) == (
        '"We agreed," said Zelenskyy\'s aide \'quietly\'.',
        'Second paragraph "guillemets" and softhyphen',
        "\u00e9t\u00e9",
        "next",
    )


def test_format_renders_the_layout() -> None:
    assert format_dated(dt.date(2024, 1, 2), ["One.", "Two."]) == " date 2024-01-02 One.\n\nTwo.\n\n"


@pytest.mark.parametrize(
    ("content", "error", "line"),
    [
        pytest.param("Democratic President Joe Biden\n\n", MissingDateLine, 1, id="no-date-line"),
        pytest.param("date 2024-11-07 Text.\n\n", MissingDateLine, 1, id="no-leading-space"),
        pytest.param(" date 24-11-07 Text.\n\n", MissingDateLine, 1, id="short-year"),
        pytest.param(" date 2024-02-30 Text.\n\n", InvalidDate, 1, id="february-30"),
        pytest.param(" date 2023-13-01 Text.\n\n", InvalidDate, 1, id="month-13"),
        pytest.param(" date 2024-11-07 \n\n", EmptyBody, 1, id="empty-body"),
        pytest.param(" date 2024-11-07\n\n", EmptyBody, 1, id="date-only"),
        pytest.param(" date 2024-11-07 One.\r\n\r\nTwo.\r\n\r\n", CRLFLineEnd, 1, id="crlf"),
        pytest.param(" date 2024-11-07 One.\n\nTwo\x00.\n\n", NulByte, 3, id="nul"),
        pytest.param("\ufeff date 2024-11-07 One.\n\n", ByteOrderMark, 1, id="bom"),
        pytest.param(" date 2024-11-07 One.\n", LayoutError, 2, id="one-trailing-newline"),
        pytest.param(" date 2024-11-07 One.\nTwo.\n\n", LayoutError, 2, id="no-blank-line"),
        pytest.param(" date 2024-11-07 One.\n\n\n\nTwo.\n\n", LayoutError, 3, id="two-blank-lines"),
        pytest.param(" date 2024-11-07 One.\n\nTwo  words.\n\n", LayoutError, 3, id="double-space"),
        pytest.param(" date 2024-11-07 One.\n\nTab\there.\n\n", LayoutError, 3, id="tab"),
        pytest.param(" date 2024-11-07 One.\n\n Two.\n\n", LayoutError, 3, id="leading-space"),
        pytest.param(" date 2024-11-07 One.\n\nTwo. \n\n", LayoutError, 3, id="trailing-space"),
        pytest.param(" date 2024-11-07 One\u00a0two.\n\n", LayoutError, 1, id="no-break-space"),
    ],
)
def test_bad_content_gets_a_named_error_with_file_and_line(
    content: str, error: type[DatedFormatError], line: int
) -> None:
    with pytest.raises(error) as raised:
        parse_dated(content, "archive/001_x.txt")
    assert raised.value.source == "archive/001_x.txt"
    assert raised.value.line == line
    assert str(raised.value).startswith(f"archive/001_x.txt:{line}: ")


def test_not_utf8_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "001_0123456789abcdef.txt"
    path.write_bytes(b" date 2024-11-07 One.\n\nCaf\xe9.\n\n")
    with pytest.raises(NotUTF8) as raised:
        read_dated(path)
    # the reason is Python's codec's own words
    reason = "(decodes)"
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        reason = error.reason
    assert str(raised.value) == f"{path}:3: is not UTF-8 (byte 26: {reason})"


def test_nul_byte_in_file_names_line(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b" date 2024-11-07 One.\n\nT\x00wo.\n\n")
    with pytest.raises(NulByte) as raised:
        read_dated(path)
    assert (raised.value.source, raised.value.line) == (str(path), 3)


def test_file_names() -> None:
    assert corpus_name(7, "e00214b99a58ad9b") == "007_e00214b99a58ad9b.txt"
    assert corpus_name(1234, "e00214b99a58ad9b") == "1234_e00214b99a58ad9b.txt"
    assert split_name("000_e00214b99a58ad9b.txt") == (0, "e00214b99a58ad9b")
    assert split_name("12345_e00214b99a58ad9b.txt") == (12345, "e00214b99a58ad9b")
    assert split_name("notes.txt") is None
    assert split_name("001_E00214B99A58AD9B.txt") is None


# any text a page could yield: letters, marks, every kind of white space and quote
_ALPHABET = st.characters(
    codec="utf-8", exclude_categories=("Cs",),
    include_characters="\u201c\u201d\u2018\u2019\u00a0\u2009\u202f\t\n\r \u2028\u00ab\u00bb",
)
_RULES = re.compile(r"^ date \d{4}-\d{2}-\d{2} [^\n]+\n\n(?:[^\n]+\n\n)*\Z")


@given(st.dates(), st.lists(st.text(_ALPHABET, min_size=1), min_size=1, max_size=6))
@settings(max_examples=300)
def test_write_read_write_is_the_identity(date: dt.date, texts: list[str]) -> None:
    paragraphs = normalize_text("\n".join(texts))
    if not paragraphs:
        return
    first = format_dated(date, paragraphs)
    again = parse_dated(first).render()
    assert again == first
    assert parse_dated(first) == DatedText(date, paragraphs)


@given(st.dates(), st.lists(st.text(_ALPHABET, min_size=1), min_size=1, max_size=6))
@settings(max_examples=300)
def test_every_written_file_obeys_every_layout_rule(date: dt.date, texts: list[str]) -> None:
    paragraphs = normalize_text("\n".join(texts))
    if not paragraphs:
        return
    content = format_dated(date, paragraphs)
    assert _RULES.match(content)
    assert not content.startswith("\ufeff")
    assert "\r" not in content and "\t" not in content and "\x00" not in content
    for paragraph in content[len(" date 2024-01-01 "):-2].split("\n\n"):
        assert paragraph == paragraph.strip()
        assert "  " not in paragraph
        assert not re.search(r"[^\S ]", paragraph)
        assert not set(paragraph) & set("\u201c\u201d\u2018\u2019\u00ab\u00bb")
        assert paragraph == normalize_paragraph(paragraph)
