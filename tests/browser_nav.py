"""Following the main navigation in a browser (base.html): a link inside a menu
("My work", "Chair", the account's) is reached by opening the menu first (and, on
a phone, "Menu" before it), as a person does."""

from playwright.sync_api import Page


def nav_click(page: Page, name: str, role: str = "link") -> None:
    """Click the navigation's `name` link (or button), opening its menu if closed."""
    nav = page.get_by_role("navigation", name="Main")
    target = nav.get_by_role(role, name=name, exact=True)
    if not target.is_visible():
        toggle = page.locator("details.nav-menu > summary.nav-toggle")
        if toggle.is_visible() and page.locator("details.nav-menu[open]").count() == 0:
            toggle.click()
    if not target.is_visible():
        tag = "a" if role == "link" else role
        summary = nav.locator(
            f"xpath=.//li[contains(@class, 'nav-group')]"
            f"[.//{tag}[normalize-space() = '{name}']]/details/summary"
        )
        summary.click()
    target.click()


def log_out(page: Page) -> None:
    nav_click(page, "Log out", role="button")
