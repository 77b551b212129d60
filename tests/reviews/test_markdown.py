"""Reviews, responses and the discussion are Markdown, rendered safely
(markdown-it-py without raw HTML, then nh3), with a server-rendered preview."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from reviews.markdown import ALLOWED_TAGS, render
from reviews.reviewing import post_to_discussion, save_review
from tests.reviews.conftest import answers

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](https://evil.example/x.png)",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
    '[x](https://ok.example "title" onmouseover=alert(1))',
    "<details open ontoggle=alert(1)>",
    "`<script>`",
]


class Elements(HTMLParser):
    """Every element and attribute of rendered HTML, as a browser would parse it."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_renders_inert(text):
    html = str(render(text))

    for tag, attrs in Elements(html).found:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on"), name
            assert name in {"href", "title", "rel", "start"}, name
            if name == "href":
                assert value.startswith(("https://", "http://", "mailto:")), value
    assert "<script" not in html.lower()


def test_markdown_formats_the_usual_things():
    html = str(render("**bold** _it_\n\n- one\n- two\n\n[site](https://e.org)"))

    assert "<strong>bold</strong>" in html
    assert "<em>it</em>" in html
    assert "<li>one</li>" in html
    assert '<a href="https://e.org" rel="nofollow noopener noreferrer">site</a>' in html


def test_typed_html_stays_text():
    assert str(render("a <b>b</b>")) == "<p>a &lt;b&gt;b&lt;/b&gt;</p>\n"


def test_nothing_renders_to_nothing():
    assert str(render("   ")) == ""


@pytest.mark.django_db
def test_reviews_and_posts_render_as_markdown_on_every_page(client, reviewing):
    save_review(
        reviewing.assignment,
        answers(strengths="**Clear** <script>alert(1)</script>"),
        by=reviewing.reviewer,
        submit=True,
    )
    post_to_discussion(
        reviewing.submission, "See _this_ [link](javascript:x)", by=reviewing.chair
    )
    pages = []
    client.force_login(reviewing.second)
    pages.append(client.get(reverse("reviews:submission", args=[1])))
    client.force_login(reviewing.chair)
    pages.append(client.get(reverse("reviews:chair-submission", args=[1])))

    for page in pages:
        html = page.content.decode()
        assert "<strong>Clear</strong> &lt;script&gt;" in html
        assert "<script>alert(1)" not in html
        assert "See <em>this</em>" in html
        assert 'href="javascript' not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("author", 200), ("reviewer", 200), ("chair", 200)],
)
def test_preview_endpoint(client, world, persona, expected):
    user = world.user(persona)
    if user is not None:
        client.force_login(user)

    response = client.post(
        reverse("reviews:markdown-preview"),
        {"text": "**hi** <img src=x onerror=alert(1)>"},
    )

    assert response.status_code == expected
    if expected == 200:
        assert response.content.decode() == (
            "<p><strong>hi</strong> &lt;img src=x onerror=alert(1)&gt;</p>\n"
        )
        assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_preview_is_post_only(client, world):
    client.force_login(world.reviewer)

    assert client.get(reverse("reviews:markdown-preview")).status_code == 405
