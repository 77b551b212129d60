"""arXiv identifiers and links (issue 12, finding 9).

Authors give an arXiv link on the submission and camera-ready forms; it ends up
in the proceedings exports (BibTeX among them), so only a real arXiv identifier
is accepted and what is stored is always the canonical `https://arxiv.org/abs/<id>`.

Accepted, with an optional version (v2):
- new-style ids, 2007 on: 2101.00001, 1412.1234 (YYMM.NNNN or YYMM.NNNNN);
- old-style ids, before 2007: hep-th/9901001, math.GT/0309136, cond-mat.str-el/0401001;
- either with an "arXiv:" prefix, or as an https://arxiv.org/abs/… or /pdf/… address
  (http, www. and a trailing .pdf are tolerated).
Anything else (queries, fragments, other paths, extra characters) is refused.
"""

import re

from django.core.exceptions import ValidationError

_MONTH = r"(?:0[1-9]|1[0-2])"
_VERSION = r"(?:v[1-9][0-9]{0,3})?"
_NEW = rf"[0-9]{{2}}{_MONTH}\.[0-9]{{4,5}}{_VERSION}"
# An archive (hep-th, cond-mat), perhaps a subject class (.GT, .str-el), then
# YYMMNNN.
_ARCHIVE = r"[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]+(?:-[A-Za-z]+)*)?"
_OLD = rf"{_ARCHIVE}/[0-9]{{2}}{_MONTH}[0-9]{{3}}{_VERSION}"
_ID = rf"(?P<id>{_NEW}|{_OLD})"
_BARE = re.compile(rf"(?:arxiv:)?{_ID}", re.IGNORECASE)
_URL = re.compile(
    rf"https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/{_ID}(?:\.pdf)?/?",
    re.IGNORECASE,
)

MESSAGE = (
    "Give an arXiv identifier (2206.01234, hep-th/9901001) or its address "
    "(https://arxiv.org/abs/2206.01234)."
)


def arxiv_id(text: str) -> str | None:
    """The arXiv identifier in `text` (an id or an arXiv address), else None."""
    text = (text or "").strip()
    match = _BARE.fullmatch(text) or _URL.fullmatch(text)
    if match is None:
        return None
    found = match["id"]
    # arXiv writes the "v" of a version and the archive (hep-th) in lowercase; a
    # subject class (math.GT) keeps its case.
    if "/" not in found:
        return found.lower()
    archive, number = found.split("/")
    head, dot, subject = archive.partition(".")
    return f"{head.lower()}{dot}{subject}/{number.lower()}"


def canonical_url(arxiv: str) -> str:
    return f"https://arxiv.org/abs/{arxiv}"


def clean_arxiv_url(text: str) -> str:
    """The canonical address for what an author typed ("" for nothing); a
    ValidationError with a clear message for anything that is not arXiv's."""
    text = (text or "").strip()
    if not text:
        return ""
    found = arxiv_id(text)
    if found is None:
        raise ValidationError(MESSAGE, code="invalid_arxiv")
    return canonical_url(found)
