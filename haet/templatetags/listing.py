"""`{% sort_header listing "key" %}`: a header that sorts the list (haet.listing)."""

from django import template

from haet.listing import Listing

register = template.Library()


@register.inclusion_tag("haet/_sort_header.html")
def sort_header(listing: Listing, key: str, css_class: str = "") -> dict:
    return {"column": listing.header(key), "css_class": css_class}
