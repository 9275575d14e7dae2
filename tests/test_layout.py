"""Every app's `rules/` package is pure decision logic: it imports the standard library and
other pure modules only, never Django, a third-party package or an app's models, services or
selectors. Read from the source (ast), so a lazy import inside a function counts too."""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Pure modules outside the rules packages that the rules may import (each is checked too).
PURE_MODULES = ("clinical",)
EXPECTED_RULES = {"assessments.rules", "monitoring.rules", "patients.rules", "programs.rules"}


def rules_packages() -> set[str]:
    return {f"{init.parent.parent.name}.rules" for init in ROOT.glob("*/rules/__init__.py")}


def module_files(name: str) -> list[Path]:
    """The source files of a module or package (none if it does not exist), with the
    `__init__.py` of each package above it, which importing it runs."""
    path = ROOT.joinpath(*name.split("."))
    parents = [
        ROOT.joinpath(*name.split(".")[:i], "__init__.py") for i in range(1, len(name.split(".")))
    ]
    if path.is_dir():
        return parents + sorted(path.rglob("*.py"))
    if path.with_suffix(".py").is_file():
        return [*parents, path.with_suffix(".py")]
    return []


def imported(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) of every absolute import; `from a import b` gives `a.b` as well as `a`."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def allowed(module: str, pure: tuple[str, ...]) -> bool:
    top = module.split(".")[0]
    if top in sys.stdlib_module_names:
        return True
    # `from assessments import codes` names `assessments.codes`: allowed if that is pure.
    return any(module == p or module.startswith(p + ".") for p in pure) or any(
        p.startswith(module + ".") for p in pure
    )


def test_every_app_with_decision_logic_has_a_rules_package():
    assert rules_packages() >= EXPECTED_RULES


def test_rules_packages_import_only_the_standard_library_and_pure_modules():
    pure = (*sorted(rules_packages()), *PURE_MODULES)
    offending = []
    for name in pure:
        for path in module_files(name):
            tree = ast.parse(path.read_text(), filename=str(path))
            for line, module in imported(tree):
                if not allowed(module, pure):
                    offending.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert offending == []


def test_the_check_catches_django_models_and_services():
    pure = (*sorted(rules_packages()), *PURE_MODULES)
    source = (
        "from django.db import models\n"
        "import rest_framework\n"
        "from patients.models import Patient\n"
        "from patients import services\n"
        "def later():\n"
        "    from programs import selectors\n"
    )
    bad = [module for _, module in imported(ast.parse(source)) if not allowed(module, pure)]
    assert bad == [
        "django.db",
        "django.db.models",
        "rest_framework",
        "patients.models",
        "patients.models.Patient",
        "patients.services",
        "programs.selectors",
    ]
