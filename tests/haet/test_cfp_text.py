"""Issue 14.19: the seeded call for papers says what the workshop's own call says.

The text is compared with ../shared/seed/haet2022-call-for-papers.md when that file
is there (always in CI); the rendering tests build their own conference."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template import Context, Template

from haet import seed
from haet.models import Conference

pytestmark = pytest.mark.django_db

CFP = Path(__file__).resolve().parents[3] / "shared/seed/haet2022-call-for-papers.md"


def sections(text: str) -> dict[str, str]:
    parts = re.split(r"^# (.+)$", text, flags=re.M)
    pairs = zip(parts[1::2], parts[2::2], strict=True)
    return {title.strip(): body for title, body in pairs}


def bullets(body: str) -> list[str]:
    return [
        line[2:].strip().rstrip(",.").strip()
        for line in body.splitlines()
        if line.startswith("- ")
    ]


def paragraphs(body: str) -> list[str]:
    return [
        line.strip()
        for line in body.splitlines()
        if line.strip() and not line.startswith("- ")
    ]


@pytest.fixture
def conference():
    call_command("seed_haet2022", stage="cfp", papers=0, reviewers=0, stdout=StringIO())
    return Conference.objects.get()


@pytest.mark.skipif(not CFP.exists(), reason="the workshop's call is in ../shared")
def test_topics_scope_instructions_and_awards_are_the_calls_own_words(conference):
    cfp = sections(CFP.read_text())
    topics = bullets(cfp["Scope and Topics"])
    assert [t.name for t in conference.topics.all()] == topics
    assert len(topics) == 9
    scope = paragraphs(cfp["Scope and Topics"])
    assert conference.scope == scope[0]

    blocks = conference.instruction_blocks
    expected = [
        re.sub(r"the \[CMT\]\([^)]*\) system", "this site", item)
        for item in bullets(cfp["Author Instructions"])
    ]
    items = [
        item.rstrip(".") for kind, group in blocks if kind == "ul" for item in group
    ]
    assert items == expected
    assert [b[1][0] for b in blocks if b[0] == "p"] == paragraphs(
        cfp["Author Instructions"]
    )
    assert conference.awards_text == paragraphs(cfp["Awards and Prizes"])[0]


def test_nothing_invented_no_tagline_no_introduction(conference):
    assert conference.tagline == ""
    assert conference.about == ""
    assert all(a.description == "" for a in conference.award_categories.all())
    assert conference.host_venue == "ICML 2022"


def test_the_call_page_shows_scope_instructions_and_awards_text(conference, client):
    html = client.get("/call-for-papers/").content.decode()
    assert seed.CONFERENCE["scope"][:60] in html
    assert (
        '<a href="https://media.icml.cc/Conferences/ICML2022/Styles/icml2022.zip">'
        "template</a> to prepare the manuscript." in html
    )
    assert "<li>Manuscripts should be submitted using this site.</li>" in html
    assert "<p>We encourage all authors to also submit their work to arXiv." in html
    assert "Thanks to our sponsors" in html
    assert "cmt3" not in html.lower()
    # The list of topics is the call's, in order.
    first, last = seed.TOPICS[0], seed.TOPICS[-1]
    assert html.index(first) < html.index(last)


def test_old_instructions_without_dashes_stay_a_list():
    conference = Conference(instructions="First\n\nSecond\n")
    assert conference.instruction_blocks == [("ul", ["First", "Second"])]


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("[a](https://x.example/p)", '<a href="https://x.example/p">a</a>'),
        ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
        ("[a](javascript:alert(1))", "[a](javascript:alert(1))"),
        ('[<i>x</i>](https://x.example/"onmouseover=1)', "[&lt;i&gt;x&lt;/i&gt;]"),
        ("[a](https://x.example) & [b](http://y.example)", "&amp;"),
    ],
)
def test_inline_links_escape_everything_but_http_links(text, html):
    rendered = Template("{% load text %}{{ t|inline_links }}").render(
        Context({"t": text})
    )
    assert html in rendered
    assert "<i>" not in rendered
    assert "javascript:" not in rendered.replace("[a](javascript:alert(1))", "")
