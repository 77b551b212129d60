"""ORCID iDs: the form of an iD and its check digit (ISO 7064 MOD 11-2)."""

import re

from django.core.exceptions import ValidationError

ORCID = re.compile(r"^(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])$")
PREFIXES = ("https://orcid.org/", "http://orcid.org/", "orcid.org/")


def check_digit(digits: str) -> str:
    """The ISO 7064 11,2 check character of the first 15 digits of an iD."""
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def normalize_orcid(value: str) -> str:
    """ "https://orcid.org/0000-0002-1825-0097", "0000000218250097" and lower-case
    x all become 0000-0002-1825-0097; anything else is returned stripped, for
    `validate_orcid` to refuse."""
    value = (value or "").strip()
    for prefix in PREFIXES:
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
            break
    match = ORCID.match(value.upper())
    if match is None:
        return value
    return "-".join(match.groups())


def validate_orcid(value: str) -> None:
    """Refuse what is not an ORCID iD or whose check digit is wrong."""
    if not value:
        return
    normalized = normalize_orcid(value)
    match = ORCID.match(normalized)
    if match is None:
        raise ValidationError(
            "“%(value)s” is not an ORCID iD: it has 16 characters in four groups, "
            "like 0000-0002-1825-0097.",
            code="orcid_format",
            params={"value": value},
        )
    digits = normalized.replace("-", "")
    if check_digit(digits[:15]) != digits[15]:
        raise ValidationError(
            "“%(value)s” is not a valid ORCID iD: its last character (the check "
            "digit) does not match. Copy it again from your ORCID record.",
            code="orcid_checksum",
            params={"value": value},
        )
