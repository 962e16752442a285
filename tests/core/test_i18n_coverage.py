"""Every user-facing string goes through Django's i18n (tests/core/test_i18n.py: and into the catalogue).

The source language is Simplified Chinese, so a Chinese literal in Python outside a gettext call (or in a template
outside ``{% translate %}``/``{% blocktranslate %}``) is text no catalogue can translate. What is not text for people
is recognised by its place, not by a list of exceptions:

- docstrings, and arguments of logging calls (``logger.info(...)``: logs are for operators' tools, not translated);
- the operands of a comparison (``value in ("是", "否")``), dictionary keys and subscripts: data compared or stored;
- patterns (arguments of ``re.compile``/``re.search``/…, of ``str.startswith``/``split``/…): text to find;
- anything a module declares in ``__i18n_exempt__``: a tuple of the names of its top-level definitions (functions,
  classes, constants; ``Class.name`` for one member) whose Chinese is content rather than interface, such as the
  statutory wording of the documents the system writes (docs/architecture.md, "Language"). Every name listed must
  exist, so a declaration cannot outlive what it excuses.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "gongkai"
CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
GETTEXT = frozenset({"_", "_lazy", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy",
                     "npgettext", "npgettext_lazy", "gettext_noop"})
LOG_METHODS = frozenset({"debug", "info", "warning", "error", "exception", "critical", "log"})
REGEX_FUNCTIONS = frozenset({"compile", "search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer"})
# str methods whose arguments are text to look for, not text to show.
MATCHING_METHODS = frozenset({"startswith", "endswith", "strip", "lstrip", "rstrip", "split", "rsplit", "partition",
                              "rpartition", "find", "rfind", "index", "rindex", "count", "removeprefix",
                              "removesuffix"})
# Modules whose Chinese is wholly made-up sample data, or Django's own schema history.
SKIPPED_PARTS = frozenset({"migrations", "demo"})


def python_modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if not SKIPPED_PARTS & set(path.relative_to(PACKAGE).parts))


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_log_call(call: ast.Call) -> bool:
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in LOG_METHODS:
        return False
    owner = func.value
    owner_name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else ""
    return "log" in owner_name.lower()


def _is_regex_call(call: ast.Call) -> bool:
    func = call.func
    return (isinstance(func, ast.Attribute) and func.attr in REGEX_FUNCTIONS
            and isinstance(func.value, ast.Name) and func.value.id in ("re", "regex"))


def _declared_exemptions(tree: ast.Module) -> tuple[str, ...]:
    for node in tree.body:
        target = node.target if isinstance(node, ast.AnnAssign) else (
            node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None)
        if isinstance(target, ast.Name) and target.id == "__i18n_exempt__":
            value = ast.literal_eval(node.value)  # type: ignore[arg-type]
            assert isinstance(value, tuple), "__i18n_exempt__ is a tuple of names"
            return value
    return ()


def _definitions(tree: ast.Module) -> dict[str, ast.AST]:
    """Top-level definitions by name, and each class's members as ``Class.member``."""
    found: dict[str, ast.AST] = {}

    def names(node: ast.stmt) -> list[str]:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return [node.name]
        if isinstance(node, ast.Assign):
            return [t.id for t in node.targets if isinstance(t, ast.Name)]
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            return [node.target.id]
        return []

    for node in tree.body:
        for name in names(node):
            found[name] = node
        if isinstance(node, ast.ClassDef):
            for member in node.body:
                for name in names(member):
                    found[f"{node.name}.{name}"] = member
    return found


def untranslated(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of each Chinese literal in the module that no rule above accounts for."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    excused: set[int] = set()

    def excuse(node: ast.AST) -> None:
        excused.update(id(inner) for inner in ast.walk(node))

    definitions = _definitions(tree)
    for name in _declared_exemptions(tree):
        assert name in definitions, f"{path}: __i18n_exempt__ names {name!r}, which the module does not define"
        excuse(definitions[name])
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                excuse(first)
        elif isinstance(node, ast.Call) and (
                _name(node.func) in GETTEXT or _is_log_call(node) or _is_regex_call(node)):
            excuse(node)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MATCHING_METHODS:
            for argument in node.args:
                excuse(argument)
        elif isinstance(node, ast.Compare):
            excuse(node)
        elif isinstance(node, ast.Subscript):
            excuse(node.slice)
        elif isinstance(node, ast.Dict):
            for key in node.keys:
                if key is not None:
                    excuse(key)
    for node in ast.walk(tree):
        if id(node) in excused:
            continue
        if isinstance(node, ast.JoinedStr):
            excuse(node)
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
            if CHINESE.search(text):
                yield node.lineno, text
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and CHINESE.search(node.value):
            yield node.lineno, node.value


TEMPLATE_MARKUP = [
    re.compile(r"\{%\s*blocktranslate\b.*?\{%\s*endblocktranslate\s*%\}", re.S),
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S),
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{%\s*translate\s+(\"[^\"]*\"|'[^']*')[^%]*%\}"),
    re.compile(r"_\((\"[^\"]*\"|'[^']*')\)"),
]


def template_lines(path: Path) -> list[str]:
    """Lines of the template with Chinese outside translate/blocktranslate tags, comments and ``_("…")``."""
    text = path.read_text(encoding="utf-8")
    for pattern in TEMPLATE_MARKUP:
        text = pattern.sub(lambda match: "\n" * match.group(0).count("\n"), text)
    return [f"{number}: {line.strip()}" for number, line in enumerate(text.splitlines(), 1) if CHINESE.search(line)]


def templates() -> list[Path]:
    return sorted(PACKAGE.glob("*/templates/**/*.html"))


def _report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{name}:\n    " + "\n    ".join(lines) for name, lines in found.items())


# Modules and templates whose text does not go through gettext yet (they were being rewritten on other branches
# when the rest was converted). The list only shrinks: an entry that has become clean fails the test until it is
# taken off, and nothing else may join it.
PENDING: frozenset[str] = frozenset({
    "api/openapi.py",
    "api/views.py",
    "catalog/apps.py",
    "catalog/forms.py",
    "catalog/models.py",
    "catalog/services.py",
    "core/files.py",
    "interaction/apps.py",
    "interaction/forms.py",
    "interaction/selectors.py",
    "interaction/services/mailbox.py",
    "orgs/models.py",
    "portal/templates/portal/interaction/track.html",
    "review/apps.py",
    "review/models.py",
    "review/selectors.py",
    "review/services.py",
    "workspace/forms.py",
    "workspace/templates/workspace/item_detail.html",
    "workspace/templates/workspace/reports/ws_report.html",
    "workspace/views.py",
})


def _python_findings() -> dict[str, list[str]]:
    found = {}
    for path in python_modules():
        lines = [f"{line}: {text[:60]!r}" for line, text in untranslated(path)]
        if lines:
            found[str(path.relative_to(PACKAGE))] = lines
    return found


def _template_findings() -> dict[str, list[str]]:
    return {str(path.relative_to(PACKAGE)): lines for path in templates() if (lines := template_lines(path))}


def test_python_modules_put_chinese_text_through_gettext() -> None:
    found = _python_findings()
    new = {name: lines for name, lines in found.items() if name not in PENDING}
    assert not new, "Chinese text outside gettext (wrap it, or declare it in __i18n_exempt__):\n" + _report(new)


def test_templates_put_chinese_text_through_translate() -> None:
    found = _template_findings()
    new = {name: lines for name, lines in found.items() if name not in PENDING}
    assert not new, "Chinese text outside {% translate %}/{% blocktranslate %}:\n" + _report(new)


def test_pending_lists_only_what_is_still_pending() -> None:
    still = set(_python_findings()) | set(_template_findings())
    assert sorted(PENDING - still) == [], "converted: take these off PENDING"


def test_the_checks_catch_an_unwrapped_literal(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text(
        'import logging\nimport re\nfrom django.utils.translation import gettext as _\n'
        'logger = logging.getLogger(__name__)\n'
        '__i18n_exempt__ = ("LETTER",)\n'
        'LETTER = "特此告知。"\n'
        'def f(value, name):\n'
        '    """文档。"""\n'
        '    logger.info("日志")\n'
        '    if value in ("是", "否"):\n'
        '        return {"键": _("已翻译：%(name)s") % {"name": name}}\n'
        '    re.compile("第.+条")\n'
        '    raise ValueError(f"{name}：未翻译")\n'
        'CHOICES = [("a", "未翻译的选项")]\n', encoding="utf-8")
    assert [line for line, _text in untranslated(module)] == [13, 14]
    module.write_text('__i18n_exempt__ = ("GONE",)\n', encoding="utf-8")
    with pytest.raises(AssertionError, match="GONE"):
        list(untranslated(module))
    page = tmp_path / "page.html"
    page.write_text('{% load i18n %}<h1>{% translate "标题" %}</h1>\n{# 注释 #}\n'
                    '{% blocktranslate %}共 {{ n }} 条{% endblocktranslate %}\n<p>未翻译</p>\n', encoding="utf-8")
    assert template_lines(page) == ["4: <p>未翻译</p>"]
