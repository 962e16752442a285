"""The layering docs/architecture.md describes, checked against the code: which app imports which, and views that
read only through selectors."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "gongkai"
DOC = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"
APPS = sorted(p.name for p in SRC.iterdir() if (p / "apps.py").exists())
NOT_APPS = {"settings", "wsgi", "urls", "asgi"}  # project modules beside the apps

# Where a view module would read rows itself instead of asking a selector.
MANAGERS = {"objects", "_default_manager", "_base_manager"}
SHORTCUTS = {"get_object_or_404", "get_list_or_404"}


def _modules(app: str) -> list[Path]:
    return [p for p in (SRC / app).rglob("*.py") if "migrations" not in p.parts]


def _imported_apps(path: Path, own: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "gongkai" and len(parts) > 1 and parts[1] not in NOT_APPS and parts[1] != own:
                found.add(parts[1])
    return found


def _documented() -> dict[str, set[str] | None]:
    """The table "| app | imports from |": app -> the apps it names (None: a row that names no list, like demo's)."""
    rows: dict[str, set[str] | None] = {}
    for app, cell in re.findall(r"^\| `(\w+)` \| (.+?) \|$", DOC.read_text(), re.M):
        listed = re.sub(r"\([^)]*\)", "", cell).strip()
        if listed.startswith("none"):
            rows[app] = set()
        elif listed.startswith("every"):
            rows[app] = None
        else:
            rows[app] = {name.strip() for name in listed.split(",")}
    return rows


def test_the_import_table_in_architecture_md_is_true() -> None:
    documented = _documented()
    assert set(documented) == set(APPS), "every app has a row in docs/architecture.md, and only apps do"
    wrong = {}
    for app in APPS:
        actual = set().union(*(_imported_apps(p, app) for p in _modules(app)))
        expected = documented[app]
        if expected is not None and actual != expected:
            wrong[app] = {"imports but not documented": sorted(actual - expected),
                          "documented but not imported": sorted(expected - actual)}
    assert wrong == {}


def test_no_domain_app_imports_a_face() -> None:
    faces = {"portal", "workspace", "api"}
    domain = [app for app in APPS if app not in faces | {"demo"}]
    offenders = {app: sorted(set().union(*(_imported_apps(p, app) for p in _modules(app))) & faces)
                 for app in domain}
    assert {app: names for app, names in offenders.items() if names} == {}


def _view_modules() -> list[Path]:
    modules = [p for p in SRC.rglob("views*.py") if "migrations" not in p.parts]
    modules += [SRC / "portal" / "feeds.py", SRC / "portal" / "sitemaps.py"]
    return sorted(modules)


def _reads_rows(path: Path, root: Path = SRC) -> list[str]:
    """Lines where a view module reaches a model manager or a shortcut that queries for it."""
    tree = ast.parse(path.read_text(), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            found.append(f"{path.relative_to(root)}:{node.lineno} .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module == "django.shortcuts":
            found += [f"{path.relative_to(root)}:{node.lineno} {a.name}" for a in node.names if a.name in SHORTCUTS]
    return found


def test_views_read_through_selectors() -> None:
    assert len(_view_modules()) >= 15
    assert [line for path in _view_modules() for line in _reads_rows(path)] == []


def test_the_view_check_finds_a_manager(tmp_path: Path) -> None:
    view = tmp_path / "views.py"
    view.write_text("from django.shortcuts import get_object_or_404\nfrom .models import Item\n\n"
                    "def page(request, pk):\n    return Item.objects.get(pk=pk)\n")
    assert _reads_rows(view, tmp_path) == ["views.py:1 get_object_or_404", "views.py:5 .objects"]


def test_each_app_keeps_its_templates_in_its_own_namespace() -> None:
    """`<app>/templates/<app>/…`, so that two apps never answer for the same template name (the error pages
    Django looks up by their bare names aside)."""
    strays = [p.relative_to(SRC).as_posix() for app in APPS if (SRC / app / "templates").is_dir()
              for p in (SRC / app / "templates").iterdir()
              if p.name != app and not re.fullmatch(r"\d{3}\.html", p.name)
              and not (p.is_dir() and not any(p.rglob("*.*")))]  # git keeps no empty directory
    assert strays == []
