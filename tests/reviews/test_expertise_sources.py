"""Reviewers' publication lists: BibTeX, DBLP XML and ORCID JSON files."""

import contextlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviews.expertise_sources import (
    Publication,
    PublicationFileError,
    parse_publications,
    person_key,
)

BIBTEX = rb"""
@inproceedings{doe2025sparse,
  title = {Sparse Training on {FPGA}s},
  author = {Doe, Jane and M{\"u}ller, Hans and Ana Lima},
  booktitle = {Proc. of Something},
  year = {2025},
  abstract = {We train {sparse} networks on FPGAs.}
}
@article{doe2015old,
  title = {An Old Paper},
  author = {Jane Doe and Old Friend},
  year = 2015
}
@misc{notitle, author = {Nobody}}
"""

DBLP = b"""<?xml version="1.0" encoding="US-ASCII"?>
<dblpperson name="Jane Doe" pid="12/3456" n="2">
<person key="homepages/12/3456" mdate="2024-01-01">
<author pid="12/3456">Jane Doe</author></person>
<r><inproceedings key="conf/x/Doe24" mdate="2024-05-01">
<author pid="12/3456">Jane Doe</author>
<author pid="99/1">Wei Zhang 0002</author>
<title>Energy of <i>GPU</i> Training.</title>
<year>2024</year></inproceedings></r>
<r><article key="journals/y/Doe10" mdate="2010-01-01">
<author pid="12/3456">Jane Doe</author><author pid="1/2">Old Friend</author>
<title>Ancient Results.</title><year>2010</year></article></r>
</dblpperson>
"""

ORCID_SUMMARY = {
    "group": [
        {
            "work-summary": [
                {
                    "title": {"title": {"value": "Quantized Transformers"}},
                    "publication-date": {"year": {"value": "2023"}},
                },
                {"title": {"title": {"value": "Quantized Transformers (dup)"}}},
            ]
        },
        {"work-summary": [{"title": None}]},
    ]
}

ORCID_WORKS = [
    {
        "title": {"title": {"value": "Analog Hardware"}},
        "short-description": "Equilibrium propagation.",
        "publication-date": {"year": {"value": "2024"}},
        "contributors": {
            "contributor": [
                {"credit-name": {"value": "Jane Doe"}},
                {"credit-name": {"value": "Kim Park"}},
            ]
        },
    }
]


def test_bibtex_gives_titles_abstracts_years_and_authors_in_unicode():
    publications = parse_publications(BIBTEX, "bibtex")

    assert publications == [
        Publication(
            title="Sparse Training on FPGAs",
            abstract="We train sparse networks on FPGAs.",
            year=2025,
            coauthors=("Jane Doe", "Hans Müller", "Ana Lima"),
        ),
        Publication(
            title="An Old Paper", year=2015, coauthors=("Jane Doe", "Old Friend")
        ),
    ]


def test_a_windows_1252_bibtex_file_reads_like_the_utf8_one():
    """As JabRef saved it on Windows ("% Encoding: windows-1252")."""
    text = BIBTEX.decode("ascii").replace('M{\\"u}ller', "Müller")
    assert "Müller" in text
    data = ("% Encoding: windows-1252\n" + text).encode("cp1252")

    assert parse_publications(data, "bibtex") == parse_publications(BIBTEX, "bibtex")


def test_dblp_xml_gives_titles_years_and_authors_without_homonym_numbers():
    publications = parse_publications(DBLP, "dblp")

    assert publications == [
        Publication(
            title="Energy of GPU Training",
            year=2024,
            coauthors=("Jane Doe", "Wei Zhang"),
        ),
        Publication(
            title="Ancient Results", year=2010, coauthors=("Jane Doe", "Old Friend")
        ),
    ]


def test_orcid_summary_keeps_one_work_per_group():
    publications = parse_publications(json.dumps(ORCID_SUMMARY).encode(), "orcid")

    assert publications == [Publication(title="Quantized Transformers", year=2023)]


def test_orcid_full_works_give_descriptions_and_contributors():
    publications = parse_publications(json.dumps(ORCID_WORKS).encode(), "orcid")

    assert publications == [
        Publication(
            title="Analog Hardware",
            abstract="Equilibrium propagation.",
            year=2024,
            coauthors=("Jane Doe", "Kim Park"),
        )
    ]


@pytest.mark.parametrize(
    ("data", "kind", "message"),
    [
        (b"not bibtex at all", "bibtex", "no BibTeX entry"),
        (b"\xff\xfe\x00", "orcid", "not UTF-8"),
        (b"<html></html>", "dblp", "not a DBLP person page"),
        (b"<dblpperson", "dblp", "not valid DBLP XML"),
        (
            b'<!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
            b"<dblpperson>&b;</dblpperson>",
            "dblp",
            "not valid DBLP XML",
        ),
        (b"{", "orcid", "not valid JSON"),
        (b'{"name": "x"}', "orcid", "not an ORCID works record"),
        (b"@" + b"x" * (5 * 1024 * 1024), "bibtex", "larger than 5 MB"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(data, kind, message):
    with pytest.raises(PublicationFileError, match=message):
        parse_publications(data, kind)


def test_person_key_matches_name_orders_accents_and_dblp_numbers():
    assert person_key("Müller, Hans") == person_key("hans  muller") == "hans muller"
    assert person_key("Wei Zhang 0002") == "wei zhang"
    assert person_key("J. Doe") == "j doe"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "group",
                    "work-summary",
                    "bulk",
                    "work",
                    "title",
                    "value",
                    "contributors",
                    "contributor",
                    "credit-name",
                    "publication-date",
                    "year",
                    "short-description",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=15,
)
FILE_LIKE = st.lists(
    st.sampled_from(
        [
            "@article{",
            "x,",
            "title",
            "=",
            "{",
            "}",
            '"',
            " and ",
            "2022",
            "\n",
            "<dblpperson>",
            "</dblpperson>",
            "<r>",
            "<article>",
            "<title>",
            "</title>",
            "<year>",
            "&amp;",
            "\x00",
            "é",
        ]
    ),
    max_size=30,
).map(lambda parts: "".join(parts).encode("utf-8"))


@given(
    document=JSON_VALUES,
    data=st.one_of(st.binary(max_size=80), FILE_LIKE),
    kind=st.sampled_from(["bibtex", "dblp", "orcid"]),
)
def test_any_upload_gives_publications_or_the_reason(document, data, kind):
    """A reviewer's file, however shaped, gives publications or a
    PublicationFileError with the reason, never another exception (a server
    error): an ORCID file whose "group" was a number failed with TypeError."""
    for upload, parser in ((json.dumps(document).encode(), "orcid"), (data, kind)):
        with contextlib.suppress(PublicationFileError):
            assert all(
                isinstance(p, Publication) for p in parse_publications(upload, parser)
            )
