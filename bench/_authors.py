"""One author in the deadline rush, over HTTP as a browser would: sign in, then
(when every author has signed in) create a draft, upload the PDFs one by one and
submit. Every request's time is kept; the upload's is the upload request itself."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PASSWORD = "rush-hour-2022-deadline"  # noqa: S105 - the bench's own accounts
REQUEST_TIMEOUT = 120  # seconds; above gunicorn's timeout, so a hang is an error
DETAIL = re.compile(r"/submissions/(\d+)/$")


@dataclass
class Author:
    index: int
    email: str
    client_ip: str  # as a proxy in front of gunicorn reports it
    pdfs: list[Path]
    signin_s: float | None = None
    create_s: float | None = None
    form_s: list[float] = field(default_factory=list)
    upload_s: list[float] = field(default_factory=list)
    submit_s: float | None = None
    number: int | None = None
    submitted: bool = False
    errors: list[str] = field(default_factory=list)


# --- one author ---------------------------------------------------------------------
def csrf_token(session, url: str) -> str:
    response = session.get(url, timeout=REQUEST_TIMEOUT)
    response.raise_for_status()
    return session.cookies.get("csrftoken", "")


def submission_fields(author: Author, topics: list[str], token: str) -> dict:
    return {
        "csrfmiddlewaretoken": token,
        "title": f"Training Efficiently Before the Deadline {author.index}",
        "abstract": "We measure how efficiently networks train on small hardware.",
        "keywords": "efficient training, hardware",
        "topics": topics,
        "not_accepted_at_main": "on",
        "include_in_proceedings": "no",
        "arxiv_url": "",
        "conflicts": "",
        "authors-TOTAL_FORMS": "1",
        "authors-INITIAL_FORMS": "0",
        "authors-MIN_NUM_FORMS": "0",
        "authors-MAX_NUM_FORMS": "30",
        "authors-0-name": f"Rush Author {author.index}",
        "authors-0-email": author.email,
        "authors-0-affiliation": "Rush University",
        "authors-0-ORDER": "1",
        "action": "save",
    }


def timed_post(session, url: str, **kwargs):
    started = time.monotonic()
    response = session.post(
        url, timeout=REQUEST_TIMEOUT, allow_redirects=False, **kwargs
    )
    return response, time.monotonic() - started


def expect_redirect(response, what: str) -> str:
    location = response.headers.get("Location", "")
    if response.status_code != 302 or not DETAIL.search(location):
        snippet = re.sub(r"\s+", " ", response.text[:20000])
        errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>(.{0,200}?)<', snippet)
        raise RuntimeError(f"{what}: HTTP {response.status_code} {errors[:3]}")
    return location


def sign_in(author: Author, session, base: str) -> None:
    token = csrf_token(session, f"{base}/accounts/login/")
    response, seconds = timed_post(
        session,
        f"{base}/accounts/login/",
        data={
            "csrfmiddlewaretoken": token,
            "login": author.email,
            "password": PASSWORD,
        },
    )
    if response.status_code != 302:
        raise RuntimeError(f"sign-in: HTTP {response.status_code}")
    author.signin_s = seconds


def rush(author: Author, session, base: str, topics: list[str]) -> None:
    token = csrf_token(session, f"{base}/submissions/new/")
    response, author.create_s = timed_post(
        session,
        f"{base}/submissions/new/",
        data=submission_fields(author, topics, token),
    )
    author.number = int(DETAIL.search(expect_redirect(response, "create")).group(1))
    edit = f"{base}/submissions/{author.number}/edit/"
    for pdf in author.pdfs:
        started = time.monotonic()
        token = csrf_token(session, edit)
        author.form_s.append(time.monotonic() - started)
        with pdf.open("rb") as handle:
            response, seconds = timed_post(
                session,
                edit,
                data=submission_fields(author, topics, token),
                files={"pdf": (pdf.name, handle, "application/pdf")},
            )
        expect_redirect(response, "upload")
        author.upload_s.append(seconds)
    token = session.cookies.get("csrftoken", "")
    response, author.submit_s = timed_post(
        session,
        f"{base}/submissions/{author.number}/submit/",
        data={"csrfmiddlewaretoken": token},
    )
    expect_redirect(response, "submit")
    author.submitted = True


def run_author(author, base, topics, barrier, rush_started) -> None:
    import requests

    with requests.Session() as session:
        # The proxy in front of gunicorn says who the client is (one address per
        # author, as in real life); gunicorn is told to trust one proxy.
        session.headers["X-Forwarded-For"] = author.client_ip
        signed_in = False
        try:
            sign_in(author, session, base)
            signed_in = True
        except Exception as error:
            author.errors.append(f"{type(error).__name__}: {error}")
        finally:
            try:
                barrier.wait()  # the rush starts when every author has signed in
            except threading.BrokenBarrierError:
                author.errors.append("the start barrier broke")
                signed_in = False
        if not signed_in:
            return
        rush_started.set()
        try:
            rush(author, session, base, topics)
        except Exception as error:
            author.errors.append(f"{type(error).__name__}: {error}")
