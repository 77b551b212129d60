"""`{{ text|markdown }}`: reviews, responses and posts as sanitised Markdown."""

from django import template
from django.utils.safestring import SafeString

from reviews import markdown as md

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: object) -> SafeString:
    return md.render("" if text is None else str(text))
