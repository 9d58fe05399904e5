"""The error kinds of bench.resolved_errors on hand-made items."""

import pytest

from bench.resolved_errors import kind_of

SOURCE = (10, 20)


def pred(name, span=SOURCE, type_="person"):
    return {"name": name, "type": type_, "span": span}


@pytest.mark.parametrize(
    ("gold", "mention", "predicted", "kind"),
    [
        ("Ana Ruiz", None, None, "missed"),
        ("Ana Ruiz", None, pred(None, span=None), "no_mention"),
        ("Ana Ruiz", "the crowd", pred(None, span=(40, 49)), "other_mention"),
        ("Ana Ruiz", "she", pred("Lena Ortiz"), "pronoun"),
        ("Ana Ruiz", "Mayor Ruiz", pred(None, type_="anonymous"), "name_lost"),
        (None, "the mayor", pred("Ana Ruiz"), "named_anonymous"),
        ("Bill Okafor", "Okafor", pred("Rita Okafor"), "family"),
        ("Ana Ruiz", "Ruiz", pred("Ruiz"), "partial"),
        ("Ana Ruiz", "the mayor", pred("Lena Ortiz"), "descriptor"),
        ("Ana Ruiz", "Ruiz Says", pred("Ruiz Says Jobs"), "junk"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_kinds(gold, mention, predicted, kind):
    assert kind_of(gold, mention or "", SOURCE, predicted, mention) == kind
