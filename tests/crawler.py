"""A crawler for leak tests: every URL pattern of the project, its arguments
filled from the data, each response read as the text a person would read.

The tests that use it decide which patterns to skip, how to fill arguments and what
must not appear (see tests/test_conflicted_chair_crawl.py).
"""

import html
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from itertools import product

from django.urls import (
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)


def url_patterns(patterns=None, prefix=""):
    """(name, pattern) of every route, namespaced names ("outbox:detail")."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            space = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from url_patterns(entry.url_patterns, space)
        elif isinstance(entry, URLPattern):
            yield (f"{prefix}{entry.name}" if entry.name else "", entry)


def pattern_kwargs(pattern: URLPattern) -> list[str]:
    return sorted(pattern.pattern.regex.groupindex)


def urls_of(
    name: str, pattern: URLPattern, values: dict[str, list]
) -> tuple[list, list[str]]:
    """(urls with their number argument, arguments `values` cannot fill)."""
    kwargs = pattern_kwargs(pattern)
    missing = [k for k in kwargs if k not in values]
    if missing:
        return [], missing
    urls = []
    for combination in product(*(values[k] for k in kwargs)):
        given = dict(zip(kwargs, combination, strict=True))
        urls.append((reverse(name, kwargs=given), given.get("number")))
    return urls, []


# --- reading responses ---------------------------------------------------------------
def body_text(response) -> str:
    """Everything a person would read in the response, as text: HTML unescaped,
    CSV/JSON/BibTeX as they are, every member of a ZIP (name and bytes)."""
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    kind = response.get("Content-Type", "")
    if "zip" in kind:
        parts = []
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            for info in archive.infolist():
                parts += [info.filename, archive.read(info).decode("latin-1")]
        return "\n".join(parts)
    if "json" in kind:
        # Re-dump without escapes, so "\u00e9" and "\/" cannot hide a canary.
        return json.dumps(json.loads(raw), ensure_ascii=False)
    text = (
        raw.decode("utf-8", errors="replace")
        if "pdf" not in kind
        else raw.decode("latin-1")
    )
    return html.unescape(text)


def normalised(text: str) -> str:
    """What may differ between two identical renders: per-request tokens."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "csrf", text)
    return re.sub(r'(csrf[-_]?token["\']?[:=]\s*["\'])[^"\']*', r"\1", text, flags=re.I)


@dataclass
class Page:
    url: str
    pattern: str
    number: int | None
    status: int
    text: str = ""


@dataclass
class Crawl:
    world: object
    pages: dict[str, Page] = field(default_factory=dict)

    def get(self, client, url, pattern, number):
        if url in self.pages:
            return
        response = client.get(url)
        page = Page(url, pattern, number, response.status_code)
        if response.status_code == 200:
            page.text = body_text(response)
        self.pages[url] = page


def follow_links(crawl: Crawl, client, start: str) -> None:
    """GET every local link of an already crawled page, once each."""
    for href in re.findall(r'href="(/[^"#]*)"', crawl.pages[start].text):
        href = html.unescape(href)
        match = _resolve(href)
        if match is not None:
            crawl.get(client, href, match.view_name, match.kwargs.get("number"))


def _resolve(href: str):
    try:
        return resolve(href.split("?", 1)[0])
    except Resolver404:
        return None
