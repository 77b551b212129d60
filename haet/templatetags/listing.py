"""`{% sort_header listing "key" %}`: a header that sorts the list (haet.listing)."""

from django import template

from haet.listing import Listing

register = template.Library()


@register.inclusion_tag("haet/_sort_header.html")
def sort_header(listing: Listing, key: str, css_class: str = "") -> dict:
    return {"column": listing.header(key), "css_class": css_class}


@register.simple_tag
def filter_url(listing: Listing, **changes) -> str:
    """`?…` for a filter link that keeps the search, sort and page size: `{% filter_url
    listing status="sent" %}` (an empty value drops the filter); back to page 1."""
    return listing.querystring(page=None, **changes)
