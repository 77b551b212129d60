"""The glossary holds in code (README, "Glossary").

Every application module (each local Django app's package, migrations excepted:
they are history) is parsed, and two rules are checked on its identifiers, that
is every name the code binds or reads, attribute names, parameters, keywords,
imports and module file names:

1. No identifier contains a word of `BANNED_WORDS`: the glossary's term is used
   instead (a `Submission`, never a paper). User-visible text, URL paths, stored
   strings and the files' own prose may still say "paper": authors do.
2. The bare name `settings` is always `django.conf.settings`: nothing else binds it
   (a local, a parameter, an import of another `settings`). A conference's
   settings row gets its kind's name: `submission_settings`, `review_settings`.
   Class attributes (`self.settings`, a dataclass field) are reached through
   their object and are left alone.

`ALLOWED` lists identifiers an outside API forces on us, each with its reason.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

# The words the glossary bans from identifiers (README points here).
BANNED_WORDS = ("paper", "manuscript")

# identifier -> why an outside API forces it. Keep empty unless one does.
ALLOWED: dict[str, str] = {}

ROOT = Path(settings.BASE_DIR).resolve()


def application_modules() -> list[Path]:
    """Every .py file of the project's own apps, migrations left out."""
    roots = {
        Path(config.path).resolve()
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(ROOT)
        and ".venv" not in Path(config.path).resolve().relative_to(ROOT).parts
    }
    # An app nested in another (haet.outbox in haet) is walked once, with its parent.
    tops = {r for r in roots if not any(r != o and r.is_relative_to(o) for o in roots)}
    return sorted(
        path
        for top in tops
        for path in top.rglob("*.py")
        if "migrations" not in path.relative_to(top).parts
    )


def identifiers(tree: ast.AST):
    """(line, identifier) for every name in the module's code."""
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Name):
            names = [node.id]
        elif isinstance(node, ast.Attribute):
            names = [node.attr]
        elif isinstance(node, ast.arg) or (isinstance(node, ast.keyword) and node.arg):
            names = [node.arg]
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names = [node.name]
        elif isinstance(node, ast.alias):
            names = [*node.name.split("."), *([node.asname] if node.asname else [])]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = node.module.split(".")
        elif (
            isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar)
            and node.name
        ):
            names = [node.name]
        elif isinstance(node, ast.Global | ast.Nonlocal):
            names = list(node.names)
        for name in names:
            yield getattr(node, "lineno", 1), name


def banned_identifiers(source: str, stem: str = "") -> list[tuple[int, str]]:
    found = [(1, stem)] if any(w in stem.lower() for w in BANNED_WORDS) else []
    for line, name in identifiers(ast.parse(source)):
        if name not in ALLOWED and any(w in name.lower() for w in BANNED_WORDS):
            found.append((line, name))
    return sorted(set(found))


NAMED = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.ExceptHandler,
    ast.MatchAs,
    ast.MatchStar,
)


def settings_bindings(source: str) -> list[int]:
    """Lines where something other than django.conf.settings binds `settings`."""
    tree = ast.parse(source)
    in_class_body: set[int] = set()  # class attributes: reached as obj.settings
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for stmt in node.body:
                if isinstance(
                    stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
                ):
                    in_class_body.add(id(stmt))
                elif isinstance(stmt, ast.Assign):
                    in_class_body.update(id(t) for t in stmt.targets)
                elif isinstance(stmt, ast.AnnAssign):
                    in_class_body.add(id(stmt.target))
    lines = []
    for node in ast.walk(tree):
        if id(node) in in_class_body:
            continue
        binds = False
        if isinstance(node, ast.Name):
            binds = node.id == "settings" and not isinstance(node.ctx, ast.Load)
        elif isinstance(node, ast.arg):
            binds = node.arg == "settings"
        elif isinstance(node, NAMED):
            binds = node.name == "settings"
        elif isinstance(node, ast.Import):
            binds = any(
                (a.asname or a.name.split(".")[0]) == "settings" for a in node.names
            )
        elif isinstance(node, ast.ImportFrom):
            binds = any(
                (a.asname or a.name) == "settings"
                and not (node.module == "django.conf" and a.name == "settings")
                for a in node.names
            )
        if binds:
            lines.append(node.lineno)
    return sorted(lines)


MODULES = application_modules()


def test_the_walk_sees_every_app():
    walked = {path.relative_to(ROOT).parts[0] for path in MODULES}
    assert {"haet", "submissions", "reviews", "decisions", "awards"} <= walked
    assert not any("migrations" in path.parts for path in MODULES)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_identifier_uses_a_banned_word(path):
    found = banned_identifiers(path.read_text(), path.stem)
    assert not found, "\n".join(
        f"{path.relative_to(ROOT)}:{line}: {name} (README, Glossary)"
        for line, name in found
    )


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_settings_always_means_django_settings(path):
    lines = settings_bindings(path.read_text())
    assert not lines, "\n".join(
        f"{path.relative_to(ROOT)}:{line}: binds `settings`; name it for its kind "
        "(submission_settings, review_settings, ...)"
        for line in lines
    )


def test_every_allowed_identifier_is_still_needed():
    used = {
        name for path in MODULES for _, name in identifiers(ast.parse(path.read_text()))
    }
    assert set(ALLOWED) <= used, set(ALLOWED) - used


# --- the checks themselves catch what they should -------------------------------------
def test_banned_words_are_found_in_every_kind_of_identifier():
    source = """
from submissions.papers import check
import reviews.paper_index as index
class PaperView: pass
def accepted(paper_count, *, per_paper=3): return f"{index.best_paper}"
try: pass
except ValueError as paper_error: pass
call(papers=1)
"""
    names = {name for _, name in banned_identifiers(source, "paper_tools")}
    assert names == {
        "paper_tools",
        "papers",
        "paper_index",
        "PaperView",
        "paper_count",
        "per_paper",
        "best_paper",
        "paper_error",
    }
    assert banned_identifiers('title = "Best paper"  # a paper') == []


def test_settings_bindings_are_found_but_class_attributes_are_not():
    source = """
from django.conf import settings
from haet import settings as config
import reviews.settings as settings
def a(settings): return settings
def b():
    settings = 1
    for settings in []: pass
class View:
    settings = None
    settings: int = 0
    def settings(self): return settings.SITE_URL
url = settings.SITE_URL
"""
    assert settings_bindings(source) == [4, 5, 7, 8]
