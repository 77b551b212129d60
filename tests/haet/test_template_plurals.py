"""A count in a template agrees with its noun: "1 page", "1 topic", never
"1 pages" (the reviewer dashboard said "1 topics."). Every "{{ count }} nouns"
in the templates carries `pluralize`."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# A variable, then (after an optional closing tag) a plural noun of a count.
COUNTED = re.compile(
    r"\{\{ ([a-z_.]+) \}\}(?:</[a-z]+>)? "
    r"(pages|accelerators|nodes|authors|scores|reviewers|submissions|assignments"
    r"|profiles|topics|years|words|characters|reviews|mails|bids|files|papers)\b"
)


# Words, not counts: "Remove {{ label }} papers" (BibTeX papers, ORCID papers).
NOT_COUNTS = {"label", "name", "title", "acronym"}


def test_no_count_is_followed_by_a_bare_plural():
    bare = [
        f"{path.relative_to(TEMPLATES)}: {match[0]}"
        for path in sorted(TEMPLATES.rglob("*.*"))
        for match in COUNTED.finditer(path.read_text(encoding="utf-8"))
        if match[1].rsplit(".", 1)[-1] not in NOT_COUNTS
    ]
    assert bare == []


def test_the_check_finds_a_bare_plural():
    assert COUNTED.findall("{{ profile.topics.count }} topics.") == [
        ("profile.topics.count", "topics")
    ]
    assert not COUNTED.findall("{{ n }} topic{{ n|pluralize }}.")


def test_counted_agrees_with_the_count():
    from haet.wording import counted

    assert [counted(n, "page") for n in (0, 1, 2)] == ["0 pages", "1 page", "2 pages"]
    assert counted(1, "reply", "replies") == "1 reply"
    assert counted(3, "reply", "replies") == "3 replies"


def test_messages_built_in_python_agree_with_their_counts():
    from awards.plots import Point, time_energy_svg

    point = Point("#1", "Fast", time_s=60.0, energy_j=3.6e6)

    assert "(1 entry without both figures not shown)" in time_energy_svg(
        [point], missing_count=1
    )
    assert "(2 entries without both figures not shown)" in time_energy_svg(
        [point], missing_count=2
    )
