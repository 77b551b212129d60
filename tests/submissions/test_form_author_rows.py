"""Issue #14 item 12, without JavaScript: the author lines' Add, Remove, Up and
Down buttons send the form back with the line changed (nothing saved, no error
shown yet); an error summary links to each field; what was typed is kept, and the
page says that a chosen file must be chosen again."""

import re

import pytest
from django.http import QueryDict
from django.urls import reverse

from submissions.forms import edit_author_rows
from submissions.models import Submission
from tests.submissions.conftest import BEFORE_DEADLINE
from tests.submissions.test_views import form_data

pytestmark = pytest.mark.django_db


def three_authors(conference, author, **changes):
    data = form_data(
        conference,
        author,
        **{
            "authors-TOTAL_FORMS": "3",
            "authors-1-name": "Bo Second",
            "authors-1-email": "bo@example.org",
            "authors-1-ORDER": "2",
            "authors-2-name": "Cy Third",
            "authors-2-email": "cy@example.org",
            "authors-2-ORDER": "3",
        },
    )
    data.update(changes)
    return data


def shown_authors(page: str) -> list[str]:
    return re.findall(r'name="authors-\d+-email" value="([^"]*)"', page)


@pytest.fixture
def typing(client, conference, author, frozen):
    frozen(BEFORE_DEADLINE)
    client.force_login(author)

    def press(action: str, **changes):
        data = three_authors(conference, author, author_row=action, **changes)
        return client.post(reverse("submissions:new"), data)

    return press


@pytest.mark.parametrize(
    ("action", "emails"),
    [
        ("up-1", ["bo@example.org", "author@example.org", "cy@example.org"]),
        ("down-1", ["author@example.org", "cy@example.org", "bo@example.org"]),
        ("up-0", ["author@example.org", "bo@example.org", "cy@example.org"]),
        ("remove-1", ["author@example.org", "cy@example.org"]),
        ("add", ["author@example.org", "bo@example.org", "cy@example.org"]),
    ],
)
def test_author_row_buttons_without_javascript(typing, author, action, emails):
    response = typing(action, title="", abstract="Typed, not saved")

    page = response.content.decode()
    assert response.status_code == 200
    assert shown_authors(page) == [
        e.replace("author@example.org", author.email) for e in emails
    ]
    total = len(emails) + (1 if action == "add" else 0)
    assert f'name="authors-TOTAL_FORMS" value="{total}"' in page
    assert "Typed, not saved" in page
    assert "error-summary" not in page  # the author is still typing
    assert "This field is required" not in page
    assert Submission.objects.count() == 0


def test_the_order_numbers_still_count_and_are_renumbered():
    data = QueryDict(mutable=True)
    data.update(
        {
            "authors-TOTAL_FORMS": "3",
            "authors-0-name": "A",
            "authors-0-ORDER": "3",
            "authors-1-name": "B",
            "authors-1-ORDER": "",
            "authors-2-name": "C",
            "authors-2-ORDER": "1",
            "title": "kept",
        }
    )

    edited = edit_author_rows(data, "down-2")  # C (shown first) moves below A

    assert [edited[f"authors-{i}-name"] for i in range(3)] == ["A", "C", "B"]
    assert [edited[f"authors-{i}-ORDER"] for i in range(3)] == ["1", "2", "3"]
    assert edited["title"] == "kept"


def test_removing_the_last_line_leaves_an_empty_one():
    data = QueryDict(mutable=True)
    data.update({"authors-TOTAL_FORMS": "1", "authors-0-name": "A"})

    edited = edit_author_rows(data, "remove-0")

    assert edited["authors-TOTAL_FORMS"] == "1"
    assert edited["authors-0-name"] == ""


def test_the_reordered_lines_are_saved_in_that_order(
    client, conference, author, frozen
):
    frozen(BEFORE_DEADLINE)
    client.force_login(author)
    moved = client.post(
        reverse("submissions:new"), three_authors(conference, author, author_row="up-2")
    )
    page = moved.content.decode()
    data = three_authors(conference, author)
    for i, email in enumerate(shown_authors(page)):
        name = re.search(rf'name="authors-{i}-name" value="([^"]*)"', page)[1]
        data.update(
            {
                f"authors-{i}-name": name,
                f"authors-{i}-email": email,
                f"authors-{i}-ORDER": str(i + 1),
            }
        )

    client.post(reverse("submissions:new"), data)

    assert [a.email for a in Submission.objects.get().authors.all()] == [
        author.email,
        "cy@example.org",
        "bo@example.org",
    ]


def test_error_summary_links_to_each_field(client, conference, author, frozen):
    frozen(BEFORE_DEADLINE)
    client.force_login(author)

    response = client.post(
        reverse("submissions:new"),
        three_authors(
            conference,
            author,
            title="",
            abstract="My careful abstract",
            **{"authors-1-email": "not an address"},
        ),
    )

    page = response.content.decode()
    summary = page[page.index('id="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert '<a href="#id_title">Title: This field is required.</a>' in summary
    assert '<a href="#id_authors-1-email">Author 2, email: ' in summary
    assert 'id="id_title"' in page
    assert 'id="id_authors-1-email"' in page
    assert "My careful abstract" in page
    assert 'value="not an address"' in page
    assert "Cy Third" in page


def test_a_chosen_pdf_must_be_chosen_again_after_an_error(
    client, conference, author, upload, frozen
):
    frozen(BEFORE_DEADLINE)
    client.force_login(author)

    response = client.post(
        reverse("submissions:new"),
        form_data(conference, author, title="", pdf=upload("good")),
    )

    page = response.content.decode()
    assert "Choose the PDF again before you save" in page
    assert Submission.objects.count() == 0
    assert "pdf" not in response.context["form"].errors  # a good PDF: no error


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"PK\x03\x04 a .docx", "it looks like a ZIP archive or an Office document"),
        (b"%PDF-1.7\n1 0 obj", "The PDF is incomplete"),
        (b"", "empty"),  # Django's own "The submitted file is empty."
    ],
)
def test_a_file_that_is_no_pdf_is_named_with_the_other_errors(
    client, conference, author, frozen, content, said
):
    """The author learns at once, not after fixing the title and choosing the
    same wrong file again."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    frozen(BEFORE_DEADLINE)
    client.force_login(author)
    wrong = SimpleUploadedFile("paper.pdf", content, "application/pdf")

    response = client.post(
        reverse("submissions:new"),
        form_data(conference, author, title="", abstract="Kept", pdf=wrong),
    )

    form = response.context["form"]
    assert form.errors["title"] == ["This field is required."]
    assert said in " ".join(form.errors["pdf"])
    assert "Kept" in response.content.decode()
    assert Submission.objects.count() == 0


def test_no_file_note_without_a_file(client, conference, author, frozen):
    frozen(BEFORE_DEADLINE)
    client.force_login(author)

    page = client.post(
        reverse("submissions:new"), form_data(conference, author, title="")
    ).content.decode()

    assert "again before you save" not in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("author", 200),
        ("coauthor", 200),
        ("other_author", 404),
        ("reviewer", 404),
        ("chair", 404),
    ],
)
def test_row_buttons_on_the_edit_page_per_role(
    client,
    request,
    conference,
    author,
    coauthor,
    make_submission,
    frozen,
    persona,
    status,
):
    frozen(BEFORE_DEADLINE)
    make_submission(author, authors=[coauthor], state="draft")
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = client.post(
        reverse("submissions:edit", args=[1]),
        three_authors(conference, author, author_row="add", title="Not saved"),
    )

    assert response.status_code == status
    assert Submission.objects.get().title == "Sparse Training at Scale"


def test_a_blank_line_with_only_its_order_number_is_skipped(
    client, conference, author, frozen
):
    """The line buttons renumber every line, the blank ones too (issue 14 item 16:
    found by the keyboard journey): a blank line is still skipped, not an error."""
    frozen(BEFORE_DEADLINE)
    client.force_login(author)
    data = three_authors(
        conference, author, **{"authors-TOTAL_FORMS": "4", "authors-3-ORDER": "4"}
    )
    response = client.post(reverse("submissions:new"), data)

    assert response.status_code == 302
    assert [a.email for a in Submission.objects.get().authors.order_by("order")] == [
        author.email,
        "bo@example.org",
        "cy@example.org",
    ]
