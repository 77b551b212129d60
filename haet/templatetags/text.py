"""Chair-written text with inline links: the call for papers' "[template](https://…)".

Everything is escaped first; only `[label](http(s)://…)` becomes a link, and bare
addresses are linked as `urlize` does. Nothing else of Markdown is interpreted.
"""

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

LINK = re.compile(r"\[([^\[\]\n]+)\]\((https?://[^\s()<>\"']+)\)")


@register.filter
def inline_links(text: str) -> SafeString:
    parts, last = [], 0
    for match in LINK.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(format_html('<a href="{}">{}</a>', match.group(2), match.group(1)))
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped above
