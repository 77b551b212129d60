"""axe-core in the test browser (issue 14 item 16): the accessibility audit.

axe-core is the npm package pinned in package.json/package-lock.json, installed into
node_modules/ by `make test` (the `axe` target, `npm ci`) and injected into the page
from that local file: the audit never loads anything from a CDN. Without the file the
audit fails in CI (CI is set) and skips elsewhere, with the command that installs it.
"""

import os
from pathlib import Path

import pytest

AXE_JS = Path(__file__).resolve().parent.parent / "node_modules/axe-core/axe.min.js"
# WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
BLOCKING = ("critical", "serious")


def axe_source() -> Path:
    if not AXE_JS.exists():
        message = f"{AXE_JS} is missing: run `make axe` (npm ci)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE_JS


def blocking_violations(page) -> list[dict]:
    """axe's critical and serious WCAG 2.2 AA violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_source()))
    result = page.evaluate(
        """(tags) => axe.run(document, {
               runOnly: {type: "tag", values: tags},
               resultTypes: ["violations"],
           })""",
        WCAG_22_AA,
    )
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def describe(violations: list[dict], where: str = "") -> str:
    """A readable list: rule, impact, help, and each offending element."""
    lines = []
    for v in violations:
        lines.append(f"{where}[{v['impact']}] {v['id']}: {v['help']}")
        for node in v["nodes"][:8]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    {target}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:240]}")
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


def assert_accessible(page, where: str = "") -> None:
    found = blocking_violations(page)
    assert not found, "axe (WCAG 2.2 AA) found:\n" + describe(
        found, f"{where or page.url} "
    )


def signed_in_tab(browser, live_server, client, user):
    """(context, page): a new tab signed in as user (None: anonymous), through the
    session of the test client (logged in here too, for the crawl)."""
    from django.conf import settings

    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    if user is not None:
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": cookie,
                    "url": live_server.url,
                }
            ]
        )
    return context, context.new_page()
