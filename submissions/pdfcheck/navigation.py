"""Navigation data of the reviewer copy: outlines, names, labels and links.

None of it is needed to read a paper, and all of it can name people:
bookmarks copy section titles and sometimes the author list, hyperref names
its destinations after citation keys ("cite.nobody2021"), page labels are
free text, and link targets are `mailto:` addresses and personal homepages.

Internal links keep working: a link to a named destination is rewritten to
the explicit page and position the name stands for, before the names go.
External links lose their target but keep their visible text, which is page
content (the check reports it when it names an author).
"""

from __future__ import annotations

import contextlib

from pikepdf import Array, Dictionary, Name, NameTree, Pdf, PdfError, String

# Actions a reviewer's click may still run: move inside the document.
_KEPT_ACTIONS = frozenset(["/GoTo", "/Named"])
_PAGE_MOVES = frozenset(["/NextPage", "/PrevPage", "/FirstPage", "/LastPage"])
# Keys of a link annotation that say something besides where it points.
_LINK_TEXT_KEYS = ("/Contents", "/NM", "/PA", "/M")


class _Destinations:
    """Named destinations, looked up in the name tree or the old /Dests dict."""

    def __init__(self, pdf: Pdf) -> None:
        root = pdf.Root
        names = root.get("/Names")
        tree = names.get("/Dests") if isinstance(names, Dictionary) else None
        self._tree = None
        if isinstance(tree, Dictionary):
            with contextlib.suppress(PdfError, ValueError, TypeError):
                self._tree = NameTree(tree)
        dests = root.get("/Dests")
        self._dict = dests if isinstance(dests, Dictionary) else None

    def explicit(self, target: object) -> Array | None:
        """The [page /Fit...] array a destination stands for, or None if unknown."""
        if isinstance(target, Array):
            return target
        value = None
        if isinstance(target, String) and self._tree is not None:
            try:
                value = self._tree.get(str(target))
            except (PdfError, ValueError, UnicodeDecodeError):  # damaged or odd
                value = None
        elif isinstance(target, Name) and self._dict is not None:
            value = self._dict.get(str(target))
        if isinstance(value, Dictionary):  # a destination dictionary: {/D [...]}
            value = value.get("/D")
        return value if isinstance(value, Array) else None


def clean_navigation(pdf: Pdf) -> None:
    """Rewrite links to explicit destinations. The outlines, name trees, page
    labels, threads, beads and thumbnails go afterwards with every other catalog
    and page entry that sanitize.py does not keep."""
    destinations = _Destinations(pdf)
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", Array()):
            if (
                isinstance(annotation, Dictionary)
                and annotation.get("/Subtype") == Name.Link
            ):
                _clean_link(annotation, destinations)


def _clean_link(link: Dictionary, destinations: _Destinations) -> None:
    for key in _LINK_TEXT_KEYS:
        if key in link:
            del link[key]
    if "/Dest" in link:
        explicit = destinations.explicit(link.Dest)
        if explicit is None:
            del link["/Dest"]
        else:
            link.Dest = explicit
    action = link.get("/A")
    if not isinstance(action, Dictionary):
        if "/A" in link:
            del link["/A"]
        return
    kind = action.get("/S")
    if not isinstance(kind, Name) or str(kind) not in _KEPT_ACTIONS:
        # URI (mailto:, homepages), Launch, remote files, forms, scripts...
        del link["/A"]
        return
    # A fresh dictionary: the original may be shared, or chain more actions
    # (/Next) and structure destinations (/SD).
    if kind == Name.Named:
        named = action.get("/N")
        if isinstance(named, Name) and str(named) in _PAGE_MOVES:
            link.A = Dictionary(S=Name.Named, N=named)
        else:  # viewers also know Print, Quit, menu items...
            del link["/A"]
        return
    explicit = destinations.explicit(action.get("/D"))
    if explicit is None:
        del link["/A"]
    else:
        link.A = Dictionary(S=Name.GoTo, D=explicit)
