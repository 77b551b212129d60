"""Apps depend one way (README, "Architecture"):

    haet ← submissions ← reviews ← decisions ← proceedings ← awards ← schedule
        ← exchange

An app imports only itself and the apps before it; a later app plugs into an earlier
one through the hooks the README lists, never by being imported. haet names the
apps only in `settings.py` and `urls.py` (it wires them together). This test reads
every application module's imports, function-level ones included.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Later apps come later. schedule reads awards (the award ceremony is on the day).
LAYERS = ["haet", "submissions", "reviews", "decisions", "proceedings", "awards"]
LAYERS.append("schedule")
LAYERS.append("campaigns")  # mail to any filtered set: reads every app above
LAYERS.append("exchange")  # export and import: reads every app
LAYERS.append("api")  # the read-only API: reads every app through its QuerySets
# haet's wiring: the only haet modules that may name later apps.
WIRING = {Path("haet/settings.py"), Path("haet/urls.py")}


def layer(module: str) -> int | None:
    top = module.split(".")[0]
    return LAYERS.index(top) if top in LAYERS else None


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every absolute import in the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def application_modules() -> list[Path]:
    return sorted(
        path.relative_to(ROOT)
        for app in LAYERS
        if (ROOT / app).is_dir()
        for path in (ROOT / app).rglob("*.py")
    )


def upward_imports(path: Path) -> list[str]:
    """The imports in `path` (relative to ROOT) of an app after its own."""
    own = layer(path.parts[0])
    if path in WIRING:
        return []
    return [
        f"{path}:{line} imports {module}"
        for line, module in imported_modules(ROOT / path)
        if (other := layer(module)) is not None and other > own
    ]


def test_every_project_app_has_a_place_in_the_layers():
    project_apps = set()
    for config in apps.get_app_configs():
        top = config.name.split(".")[0]  # haet.outbox belongs to haet
        if Path(config.path).is_relative_to(ROOT / top):  # not an installed library
            project_apps.add(top)

    assert project_apps - set(LAYERS) == set()


def test_no_app_imports_a_later_app():
    modules = application_modules()
    assert len(modules) > 100  # the scan sees the code

    violations = [hit for path in modules for hit in upward_imports(path)]

    assert violations == []


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        ("reviews/x.py", "from decisions.models import Decision", 1),
        ("reviews/x.py", "def f():\n    import awards.rules\n", 1),
        ("submissions/x.py", "from reviews import conflicts", 1),
        ("haet/x.py", "from submissions.models import Submission", 1),
        ("awards/x.py", "from schedule.models import Schedule", 1),
        ("schedule/x.py", "from awards.models import AwardSettings", 0),
        ("decisions/x.py", "from reviews.models import Review\nimport haet", 0),
        ("reviews/x.py", "from .models import Assignment", 0),
        ("haet/urls.py", "from awards import views", 0),
    ],
)
def test_the_check_sees_an_upward_import(tmp_path, monkeypatch, path, source, expected):
    """The scan itself: upward imports, lazy ones included, are caught."""
    file = tmp_path / path
    file.parent.mkdir(parents=True)
    file.write_text(source)
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)

    assert len(upward_imports(Path(path))) == expected
