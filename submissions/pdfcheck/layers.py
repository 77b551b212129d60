"""Optional content (layers) and marked-content properties of the reviewer copy.

Layers have names a viewer lists ("Jane's comments", "Author block"), and a
layer hidden by default can hold a whole byline that is invisible on screen
but still in the file and in any text extraction. So:

- what is drawn inside a hidden layer is removed from the page contents
  (text, images, fills); operators that only change the graphics or text
  state stay, as a viewer still applies them to hidden content;
- XObjects and annotations that belong to a hidden layer are removed;
- every layer is renamed "Layer N" and loses its usage data (creator names);
  visibility stays as it was, so nothing hidden becomes visible;
- marked-content properties lose their alternate and replacement texts
  (/Alt, /ActualText, /E), which tagged PDFs fill from the author's figure
  descriptions; the structure tree that holds most of them goes as well.
"""

from __future__ import annotations

from collections.abc import Iterable

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator, Pdf, Stream

# Text-showing and painting operators: dropped inside hidden content.
_TEXT_SHOWING = frozenset(["Tj", "TJ", "'", '"'])
_PATH_PAINTING = frozenset(["S", "s", "f", "F", "f*", "B", "B*", "b", "b*"])
_DRAWING = frozenset(["Do", "sh", "INLINE IMAGE", "BI", "ID", "EI"])
_PROPERTY_TEXT_KEYS = ("/Alt", "/ActualText", "/E")


def clean_optional_content(pdf: Pdf) -> None:
    # The structure tree goes with the rest of the catalog (sanitize.py).
    properties = pdf.Root.get("/OCProperties")
    hidden = _hidden_groups(properties) if isinstance(properties, Dictionary) else set()
    for page in pdf.pages:
        _clean_annotations(page.obj, hidden)
        resources = _resources(page.obj)
        xobjects = _hidden_xobjects(resources, hidden)
        if _needs_rewrite(page.obj.get("/Contents"), xobjects):
            page.contents_coalesce()
            _rewrite(page.obj.Contents, resources, hidden, xobjects)
    for obj in pdf.objects:
        if isinstance(obj, Stream) and obj.get("/Subtype") == Name.Form:
            resources = _resources(obj)
            xobjects = _hidden_xobjects(resources, hidden)
            if _needs_rewrite(obj, xobjects):
                _rewrite(obj, resources, hidden, xobjects)
    if isinstance(properties, Dictionary):
        _rename_groups(properties)


def _resources(owner: Dictionary | Stream) -> Dictionary:
    resources = owner.get("/Resources")
    return resources if isinstance(resources, Dictionary) else Dictionary()


def _key(obj: object) -> tuple[int, int] | None:
    return obj.objgen if isinstance(obj, Dictionary) and obj.is_indirect else None


def _groups(value: object) -> list[Dictionary]:
    items = value if isinstance(value, Array) else [value]
    return [g for g in items if isinstance(g, Dictionary)]


def _hidden_groups(properties: Dictionary) -> set[tuple[int, int]]:
    """The groups off in the default configuration."""
    everything = {_key(g) for g in _groups(properties.get("/OCGs", Array()))}
    config = properties.get("/D", Dictionary())
    if not isinstance(config, Dictionary):
        return set()
    on = {_key(g) for g in _groups(config.get("/ON", Array()))}
    off = {_key(g) for g in _groups(config.get("/OFF", Array()))}
    if config.get("/BaseState") == Name.OFF:
        off |= everything - on
    return {k for k in off if k is not None}


def _is_hidden(target: object, hidden: set[tuple[int, int]]) -> bool:
    """Whether an optional content group or membership dictionary is off."""
    if not isinstance(target, Dictionary) or not hidden:
        return False
    if target.get("/Type") != Name.OCMD:
        return _key(target) in hidden
    # Membership dictionary: a policy over its groups (the /VE expression,
    # rare, is approximated by the policy).
    states = [_key(g) not in hidden for g in _groups(target.get("/OCGs", Array()))]
    if not states:
        return False
    policy = target.get("/P", Name.AnyOn)
    visible = {
        Name.AllOn: all(states),
        Name.AnyOff: not all(states),
        Name.AllOff: not any(states),
    }.get(policy, any(states))
    return not visible


def _clean_annotations(page: Dictionary, hidden: set[tuple[int, int]]) -> None:
    annotations = page.get("/Annots")
    if not isinstance(annotations, Array):
        return
    kept = Array(
        a
        for a in annotations
        if not (isinstance(a, Dictionary) and _is_hidden(a.get("/OC"), hidden))
    )
    if len(kept) != len(annotations):
        page.Annots = kept


def _needs_rewrite(contents: object, hidden_xobjects: set[str]) -> bool:
    """Whether the content has marked content with properties, or draws a
    hidden XObject (a cheap byte search; most streams have neither)."""
    streams: Iterable[object] = contents if isinstance(contents, Array) else [contents]
    for stream in streams:
        if not isinstance(stream, Stream):
            continue
        try:
            data = stream.read_bytes()
        except pikepdf.PdfError:
            continue
        if b"BDC" in data or (hidden_xobjects and b"Do" in data):
            return True
    return False


def _resolve(tag_operand: object, resources: Dictionary) -> object:
    """A BDC property operand: inline dictionary or a /Properties resource."""
    if isinstance(tag_operand, Name):
        properties = resources.get("/Properties", Dictionary())
        if isinstance(properties, Dictionary):
            return properties.get(str(tag_operand))
        return None
    return tag_operand


def _hidden_xobjects(resources: Dictionary, hidden: set) -> set[str]:
    xobjects = resources.get("/XObject", Dictionary())
    if not isinstance(xobjects, Dictionary) or not hidden:
        return set()
    return {
        str(name)
        for name, xobject in xobjects.items()
        if isinstance(xobject, Stream) and _is_hidden(xobject.get("/OC"), hidden)
    }


def _rewrite(
    stream: Stream, resources: Dictionary, hidden: set, hidden_xobjects: set[str]
) -> None:
    try:
        instructions = pikepdf.parse_content_stream(stream)
    except (pikepdf.PdfError, RuntimeError):
        # Content qpdf cannot parse is left alone (viewers cannot draw it
        # either) rather than refusing a paper that otherwise reads fine.
        return
    kept: list = []
    stack: list[bool] = []  # for each open marked-content sequence: is it hidden
    for operands, operator in instructions:
        name = str(operator)
        inside_hidden = bool(stack) and stack[-1]
        if name in ("BMC", "BDC"):
            is_hidden = inside_hidden
            if name == "BDC" and len(operands) == 2:
                tag, value = operands
                target = _resolve(value, resources)
                if tag == Name.OC:
                    is_hidden = is_hidden or _is_hidden(target, hidden)
                elif isinstance(target, Dictionary):  # inline or a resource
                    for key in _PROPERTY_TEXT_KEYS:
                        if key in target:
                            del target[key]
            stack.append(is_hidden)
            if not is_hidden:
                kept.append((operands, operator))
            continue
        if name == "EMC":
            if not (stack and stack.pop()):
                kept.append((operands, operator))
            continue
        if name == "Do" and operands and str(operands[0]) in hidden_xobjects:
            continue
        if inside_hidden:
            if name in _TEXT_SHOWING or name in _DRAWING:
                continue
            if name in _PATH_PAINTING:
                # The path is built but not painted ("n" ends it silently).
                kept.append(([], Operator("n")))
                continue
        kept.append((operands, operator))
    stream.write(pikepdf.unparse_content_stream(kept))


def _rename_groups(properties: Dictionary) -> None:
    groups = _groups(properties.get("/OCGs", Array()))
    for number, group in enumerate(groups, start=1):
        for key in list(group.keys()):
            if key not in ("/Type", "/Intent"):
                del group[key]
        group.Type = Name.OCG
        group.Name = pikepdf.String(f"Layer {number}")
    config = properties.get("/D", Dictionary())
    if not isinstance(config, Dictionary):
        config = Dictionary()
    # Only the visibility of the default configuration survives: its name,
    # creator, the labelled /Order tree, alternate configurations and
    # usage-driven states (/AS) can all carry free text.
    fresh = Dictionary(Order=Array(groups))
    for key in ("/BaseState", "/ON", "/OFF", "/Locked"):
        if key in config:
            fresh[key] = config[key]
    properties.D = fresh
    if "/Configs" in properties:
        del properties["/Configs"]
