"""Driving a page by keyboard alone (issue 14 item 16): Tab to a control, then type,
Space, Enter or, inside a radio group, the arrow keys. No clicks, no `fill`.

Each control reached by Tab must show a visible focus indicator (:focus-visible with
an outline or a box-shadow), so a keyboard user can see where they are.
"""

MAX_TABS = 250

_FOCUS = """(selector) => {
    const el = document.activeElement;
    if (!el || el === document.body || !el.matches(selector)) return null;
    const style = getComputedStyle(el);
    const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
        || style.boxShadow !== "none";
    return {
        visible: el.matches(":focus-visible") && ring,
        tag: el.tagName.toLowerCase(), type: el.type || "", name: el.name || "",
        checked: !!el.checked, text: (el.innerText || el.value || "").trim(),
    };
}"""


def tab_to(page, selector: str) -> dict:
    """Press Tab until the focused element matches selector; it must show focus."""
    for _ in range(MAX_TABS):
        focused = page.evaluate(_FOCUS, selector)
        if focused is not None:
            assert focused["visible"], f"no visible focus on {selector}: {focused}"
            return focused
        page.keyboard.press("Tab")
    raise AssertionError(f"{MAX_TABS} presses of Tab never reached {selector}")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def check(page, selector: str) -> None:
    """Tab to a checkbox and tick it with Space (left ticked if it already is)."""
    if not tab_to(page, selector)["checked"]:
        page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked"), selector


def choose_radio(page, name: str, value: str) -> None:
    """Tab into a radio group, then move with the arrow keys to `value`: a radio
    group is one Tab stop, its options are chosen with the arrows."""
    tab_to(page, f"input[type=radio][name='{name}']")
    options = page.locator(f"input[type=radio][name='{name}']").count()
    for _ in range(options + 1):
        if page.evaluate("document.activeElement.value") == value:
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no radio {name}={value}")


def press_button(page, name: str) -> None:
    """Tab to the button (or link) whose text is `name` and press Enter."""
    selector = "button, a, input[type=submit]"
    for _ in range(MAX_TABS):
        focused = page.evaluate(_FOCUS, selector)
        if focused is not None and focused["text"] == name:
            assert focused["visible"], f"no visible focus on {name!r}"
            page.keyboard.press("Enter")
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{MAX_TABS} presses of Tab never reached {name!r}")
