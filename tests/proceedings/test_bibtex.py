"""Issue 12, finding 9: proceedings.bib parses whatever authors and chairs typed,
and an arXiv link is an arXiv identifier or nothing.

The exported file is read back with two real BibTeX parsers (pybtex, which follows
BibTeX's own rules for braces and author lists, and bibtexparser), and each field's
LaTeX is turned back into text with pylatexenc: every entry must hold exactly the
text that was typed (on one line, control characters dropped), one entry per paper
in the proceedings, under a safe key.
"""

import unicodedata
from types import SimpleNamespace

import bibtexparser
import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pybtex.bibtex.utils import split_name_list
from pybtex.database import parse_string
from pylatexenc import latex2text

from decisions.deciding import decide
from decisions.models import Outcome
from decisions.release import preview_release, release_decisions
from haet.models import Conference
from proceedings import exports
from proceedings.camera_ready import CameraReadyData, save_camera_ready
from proceedings.models import CameraReady
from proceedings.queries import AcceptedSubmission
from submissions.models import Submission
from tests.submissions.conftest import BEFORE_DEADLINE
from tests.submissions.test_views import form_data

pytestmark = pytest.mark.django_db

BEFORE_CAMERA_READY = "2022-06-20T12:00:00Z"
# Each breaks the old export, or a LaTeX run of it, in its own way.
HOSTILE_TITLE = (
    "Lone } brace, {balanced} ones, 1}},author={X @misc{evil, title={pwned}} "
    '100% & $x^2$ # _under_ ~tilde "quoted" \\ back\\slash\nnew line\r\n'
    "\ttab \x01\x07\x1b\x7f controls"  # no NUL: PostgreSQL stores none
)
HOSTILE_AUTHORS = [
    {"name": "Smith, Jr. and Jones", "email": "", "affiliation": "}{ Evil % Inc"},
    {"name": "Zoë {Ü} \\ O'Brien-Ñuñez ~^", "email": "", "affiliation": "@lab"},
    {"name": "AND", "email": "", "affiliation": "x\ny"},
]
HOSTILE_BOOKTITLE = 'Work}}shop @ {ICML} 2022 % & \\ "HAET"\n#1'
HOSTILE_ARXIV = "https://arxiv.org/abs/1}},author={X"


# --- reading the file back ---------------------------------------------------------
def _decoder() -> latex2text.LatexNodes2Text:
    """LaTeX to text as LaTeX typesets it, for the macros the export uses. The
    ligatures (--, ``) are left as typed: the export does not promise them."""
    context = latex2text.get_default_latex_context_db().filter_context(
        exclude_categories=["nonascii-specials"]
    )
    context.add_context_category(
        "text-symbols",
        prepend=True,
        macros=[
            latex2text.MacroTextSpec("textbraceleft", "{"),
            latex2text.MacroTextSpec("textbraceright", "}"),
            latex2text.MacroTextSpec("textbackslash", "\\"),
            latex2text.MacroTextSpec("textasciitilde", "~"),
            latex2text.MacroTextSpec("textasciicircum", "^"),
        ],
    )
    return latex2text.LatexNodes2Text(
        latex_context=context, math_mode="verbatim", strict_latex_spaces=True
    )


DECODER = _decoder()


def text_of(latex: str) -> str:
    return DECODER.latex_to_text(latex)


def visible(text: str) -> str:
    """What the export promises to keep of `text`: the text on one line."""
    text = "".join(
        ch for ch in text if ch.isspace() or unicodedata.category(ch) != "Cc"
    )
    return " ".join(text.split())


def read_back(bib: str) -> dict[str, dict]:
    """key -> {"title", "authors", "booktitle", "note", "year"} as text, after
    checking that both parsers find the same entries."""
    database = parse_string(bib, "bibtex")
    library = bibtexparser.loads(bib)
    assert [e["ID"] for e in library.entries] == list(database.entries.keys())
    found = {}
    for (key, entry), same in zip(
        database.entries.items(), library.entries, strict=True
    ):
        fields = entry.fields
        # bibtexparser reads the same values.
        assert {k: same.get(k, "") for k in ("title", "booktitle", "note")} == {
            k: fields.get(k, "") for k in ("title", "booktitle", "note")
        }
        names = split_name_list(same.get("author", ""))
        # pybtex splits the author list by BibTeX's rules: the same count.
        assert len(entry.persons.get("author", [])) == len(names)
        found[key] = {
            "title": text_of(fields.get("title", "")),
            "authors": [text_of(n) for n in names],
            "booktitle": text_of(fields.get("booktitle", "")),
            "note": fields.get("note", ""),
            "year": fields.get("year", ""),
        }
    return found


# --- the export as a chair downloads it ---------------------------------------------
@pytest.fixture
def hostile_proceedings(world, chair, frozen):
    """#1 and #2 accepted, released and in the proceedings, with hostile titles,
    authors and affiliations; #2's arXiv link got into the database raw (as before
    links were checked); the chairs' booktitle is hostile too."""
    decide(world.submission, Outcome.ACCEPT_ORAL, by=chair)
    decide(world.other_submission, Outcome.ACCEPT_POSTER, by=chair)
    _, tokens, _ = preview_release(world.conference, by=chair)
    release_decisions(world.conference, tokens=tokens, by=chair, notify=False)
    frozen(BEFORE_CAMERA_READY)
    save_camera_ready(
        world.submission,
        CameraReadyData(
            title=HOSTILE_TITLE,
            authors=HOSTILE_AUTHORS,
            include_in_proceedings=True,
            copyright_accepted=True,
            arxiv_url="https://arxiv.org/abs/2101.00001v2",
        ),
        by=world.author,
    )
    save_camera_ready(
        world.other_submission,
        CameraReadyData(
            title="@comment{ %",
            authors=[{"name": "Olga} Other", "email": "", "affiliation": ""}],
            include_in_proceedings=True,
            copyright_accepted=True,
        ),
        by=world.other_author,
    )
    CameraReady.objects.filter(submission=world.other_submission).update(
        arxiv_url=HOSTILE_ARXIV
    )
    Conference.objects.filter(pk=world.conference.pk).update(
        booktitle=HOSTILE_BOOKTITLE
    )
    return world


def test_proceedings_bib_round_trips_hostile_values_in_every_field(
    hostile_proceedings, login
):
    response = login(hostile_proceedings.chair).get(reverse("decisions:export-bibtex"))

    entries = read_back(response.content.decode())
    assert response.status_code == 200
    assert list(entries) == ["haet2022-1", "haet2022-2"]
    first, second = entries["haet2022-1"], entries["haet2022-2"]
    assert first["title"] == visible(HOSTILE_TITLE)
    assert first["authors"] == [visible(a["name"]) for a in HOSTILE_AUTHORS]
    assert first["booktitle"] == second["booktitle"] == visible(HOSTILE_BOOKTITLE)
    assert first["note"] == r"\url{https://arxiv.org/abs/2101.00001v2}"
    assert first["year"] == second["year"] == "2022"
    assert (second["title"], second["authors"]) == ("@comment{ %", ["Olga} Other"])
    assert second["note"] == ""  # the raw link is left out, not written
    assert "author={X" not in response.content.decode()


# A few characters LaTeX, BibTeX or a parser treat specially, and any other.
HOSTILE_CHARACTERS = st.one_of(
    st.sampled_from(list('{}\\@%#~^&$_",=\n\r\t\x00\x07\x1b\x7f ')),
    st.sampled_from([" and ", " AND ", ", ", "}}", "{{", "@misc{"]),
    st.characters(exclude_categories=["Cs"]),
)
hostile_text = st.lists(HOSTILE_CHARACTERS, max_size=30).map("".join)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    title=hostile_text,
    names=st.lists(hostile_text, min_size=1, max_size=3),
    booktitle=hostile_text,
    arxiv=st.one_of(hostile_text, st.sampled_from(["2206.01234", "hep-th/9901001"])),
)
def test_bibtex_always_parses_and_keeps_the_text(
    conference, title, names, booktitle, arxiv
):
    conference.booktitle = booktitle  # in memory only: what the export reads
    conference.name = "HAET"
    paper = AcceptedSubmission(
        pk=1,
        number=3,
        title=title,
        authors=[{"name": n, "email": "", "affiliation": n} for n in names],
        outcome=Outcome.ACCEPT_POSTER,
        include_in_proceedings=True,
        arxiv_url=arxiv,
        has_pdf=False,
        file_stem="HAET2022-3",
        camera_ready=None,
    )

    [(key, entry)] = read_back(exports.bibtex([paper], conference)).items()

    assert key == "haet2022-3"
    assert entry["title"] == visible(title)
    assert entry["authors"] == [visible(n) for n in names if visible(n)]
    assert entry["booktitle"] == visible(booktitle or "HAET")
    if arxiv in ("2206.01234", "hep-th/9901001"):
        assert entry["note"] == r"\url{https://arxiv.org/abs/" + arxiv + "}"
    else:
        assert entry["note"] == ""


# --- arXiv links at input -----------------------------------------------------------
@pytest.fixture
def accepted(world, chair, frozen):
    decide(world.submission, Outcome.ACCEPT_ORAL, by=chair)
    _, tokens, _ = preview_release(world.conference, by=chair)
    release_decisions(world.conference, tokens=tokens, by=chair, notify=False)
    frozen(BEFORE_CAMERA_READY)
    return world


def camera_ready_form(arxiv: str) -> dict:
    return {
        "title": "Sparse Training of Transformers on FPGAs",
        "authors-TOTAL_FORMS": "1",
        "authors-INITIAL_FORMS": "0",
        "authors-0-name": "Ada Author",
        "authors-0-affiliation": "Uni A",
        "authors-0-email": "author@example.org",
        "proceedings": "yes",
        "copyright_accepted": "on",
        "arxiv_url": arxiv,
    }


BAD_ARXIV = [
    HOSTILE_ARXIV,
    "https://arxiv.org/abs/2206.01234?x=}",
    "https://arxiv.org.evil.example/abs/2206.01234",
    "https://example.org/abs/2206.01234",
    "2213.00001",
    "arxiv 2206.01234",
]


@pytest.mark.parametrize("typed", BAD_ARXIV)
def test_camera_ready_refuses_a_link_that_is_not_arxiv_keeping_what_was_typed(
    accepted, login, typed
):
    client = login(accepted.author)

    response = client.post(
        reverse("decisions:camera-ready", args=[1]), camera_ready_form(typed)
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Give an arXiv identifier (2206.01234, hep-th/9901001)" in page
    assert f'value="{typed}"' in page
    assert not CameraReady.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2101.00001v2", "https://arxiv.org/abs/2101.00001v2"),
        ("arXiv:1412.1234", "https://arxiv.org/abs/1412.1234"),
        ("hep-th/9901001", "https://arxiv.org/abs/hep-th/9901001"),
        ("math.GT/0309136v1", "https://arxiv.org/abs/math.GT/0309136v1"),
        ("https://arxiv.org/abs/2206.01234", "https://arxiv.org/abs/2206.01234"),
        (
            "http://www.arxiv.org/pdf/2206.01234v3.pdf",
            "https://arxiv.org/abs/2206.01234v3",
        ),
    ],
)
def test_camera_ready_stores_arxiv_ids_and_links_as_the_canonical_address(
    accepted, login, typed, stored
):
    client = login(accepted.author)

    response = client.post(
        reverse("decisions:camera-ready", args=[1]), camera_ready_form(typed)
    )

    assert response.status_code == 302
    assert CameraReady.objects.get().arxiv_url == stored


def test_submission_form_refuses_a_link_that_is_not_arxiv(
    client, conference, author, frozen
):
    frozen(BEFORE_DEADLINE)
    client.force_login(author)

    refused = client.post(
        reverse("submissions:new"),
        form_data(conference, author, arxiv_url=HOSTILE_ARXIV),
    )
    saved = client.post(
        reverse("submissions:new"),
        form_data(conference, author, arxiv_url="2206.01234"),
    )

    assert refused.status_code == 200
    assert "Give an arXiv identifier" in refused.content.decode()
    assert f'value="{HOSTILE_ARXIV}"' in refused.content.decode()
    assert saved.status_code == 302
    assert [s.arxiv_url for s in Submission.objects.all()] == [
        "https://arxiv.org/abs/2206.01234"
    ]


@pytest.mark.parametrize(
    ("acronym", "key"),
    [
        ("HAET 2022", "haet2022-7"),
        ("ÉCO 2027", "eco2027-7"),
        ("東京 ML", "ml-7"),
        ("", "paper-7"),
    ],
)
def test_bibtex_keys_keep_the_base_letters_of_an_accented_acronym(acronym, key):
    conference = Conference(name="A workshop", acronym=acronym)
    entry = SimpleNamespace(number=7)  # the key reads the number alone

    assert exports.bibtex_key(conference, entry) == key
