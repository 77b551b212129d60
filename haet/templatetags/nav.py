"""`{% nav_link url "Label" %}`: one entry of the main navigation (base.html).

The entry for the page being shown carries `aria-current="page"`; with
`section=True` a page below it (`/reviews/3/` under "Reviewing" at `/reviews/`)
carries `aria-current="true"`. A chair's page (a path with a `chair/` segment) is
never inside a section that is not itself a chair's, so "My submissions" at
`/submissions/` does not light up on the chairs' list at `/submissions/chair/`.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

CHAIR_SEGMENT = "/chair/"


def current_state(path: str, url: str, *, section: bool) -> str:
    """ "page", "true" or "" (not current) for a link to `url` seen from `path`."""
    if path == url:
        return "page"
    if not section or not path.startswith(url):
        return ""
    if CHAIR_SEGMENT in path and CHAIR_SEGMENT not in url:
        return ""
    return "true"


@register.simple_tag(takes_context=True)
def nav_link(context, url: str, label: str, section: bool = False) -> SafeString:
    if not url:
        return SafeString("")
    request = context.get("request")
    state = current_state(request.path if request else "", url, section=section)
    if state:
        return format_html(
            '<li><a href="{}" aria-current="{}">{}</a></li>', url, state, label
        )
    return format_html('<li><a href="{}">{}</a></li>', url, label)
