"""The search language's parser: the tree it builds, and errors that point at the
problem (no database)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from submissions.search.parser import MAX_DEPTH, And, Not, Or, SearchError, Term, parse


def term(key, value, start, value_start=None, end=None):
    value_start = start if value_start is None else value_start
    return Term(key, value, start, value_start, end)


def test_empty_query_matches_everything():
    assert parse("") is None
    assert parse("   ") is None


def test_words_side_by_side_are_anded():
    node = parse("sparse training")
    assert node == And((term("", "sparse", 0, 0, 6), term("", "training", 7, 7, 15)))


def test_or_binds_looser_than_and():
    node = parse("a b OR c")
    assert isinstance(node, Or)
    assert isinstance(node.children[0], And)
    assert node.children[1].value == "c"


def test_parentheses_not_and_minus():
    node = parse("NOT (status:draft OR #late) -energy")
    assert isinstance(node, And)
    first, second = node.children
    assert isinstance(first, Not)
    assert isinstance(first.child, Or)
    assert first.child.children[0] == term("status", "draft", 5, 12, 17)
    assert first.child.children[1] == term("#", "late", 21, 22, 26)
    assert second == Not(term("", "energy", 29, 29, 35))


def test_key_with_quoted_value_and_comparison():
    node = parse('author:"Ada Lovelace" score:>1.5')
    assert node.children[0] == term("author", "Ada Lovelace", 0, 7, 21)
    assert node.children[1].key == "score"
    assert node.children[1].value == ">1.5"


def test_keys_are_case_insensitive_and_operators_capital():
    node = parse("Status:draft and")
    assert node.children[0].key == "status"
    assert node.children[1].value == "and"  # lower-case "and" is a word


def test_an_empty_value_is_left_to_the_compiler():
    node = parse("Transformers: status:")
    assert node.children[0].key == "transformers"
    assert node.children[0].value == ""
    assert node.children[0].raw == "Transformers:"


def test_hyphenated_words_are_words():
    assert parse("energy-efficient") == term("", "energy-efficient", 0, 0, 16)


@pytest.mark.parametrize(
    ("query", "position", "words"),
    [
        ("(sparse OR dense", 0, "never closed"),
        ("sparse)", 6, "closes nothing"),
        ("a OR", 2, "each side"),
        ("OR a", 0, "each side"),
        ("a AND", 2, "each side"),
        ("NOT", 0, "after it"),
        ("a ()", 2, "empty"),
        ('title "unclosed', 6, "never closed"),
        ("# alone", 0, "tag name"),
        ("x" * 1001, 1000, "limited"),
    ],
)
def test_errors_point_at_the_problem(query, position, words):
    with pytest.raises(SearchError) as caught:
        parse(query)
    assert caught.value.position == position
    assert words in caught.value.message


def test_deep_nesting_is_an_error_not_a_crash():
    with pytest.raises(SearchError, match="nested too deeply"):
        parse("(" * (MAX_DEPTH + 5) + "a" + ")" * (MAX_DEPTH + 5))
    with pytest.raises(SearchError):
        parse("NOT " * (MAX_DEPTH + 5) + "a")


ALPHABET = st.sampled_from(
    [*list('ab #:()"-<>=.1 '), "AND ", "OR ", "NOT ", "status:", "score:>", "#t"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(ALPHABET, max_size=30).map("".join) | st.text(max_size=60))
def test_random_queries_parse_or_fail_with_a_position(query):
    problem = None
    try:
        parse(query)
    except SearchError as error:
        problem = error
    if problem is not None:
        assert 0 <= problem.position <= len(query)
        assert problem.message
