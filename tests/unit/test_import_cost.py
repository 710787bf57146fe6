"""Start-up cost rules over the source: clients spawn a stdio server for every session, so what runs at import
and registration is paid again and again.

With `from __future__ import annotations` every annotation is a string, and pydantic (at class creation) and the
SDK (at tool registration) turn each one back into an object through `typing.ForwardRef`, which compiles it:
about 380 compilations, 10 ms of every start on the 2-core machine. Modules whose annotations are evaluated
that way keep them as objects.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).parents[2] / "src" / "prolific_taskbuilder_mcp"
REGISTERED = ("tools", "resources", "prompts")  # their functions' annotations are read when the server is built


def _trees() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(SRC.rglob("*.py"))}


def _model_classes(trees: dict[Path, ast.Module]) -> set[str]:
    """Names of the package's classes deriving, at any depth, from pydantic's BaseModel."""
    bases: dict[str, set[str]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                names = {
                    b.id if isinstance(b, ast.Name) else b.attr
                    for b in node.bases
                    if isinstance(b, ast.Name | ast.Attribute)
                }
                bases.setdefault(node.name, set()).update(names)
    models = {"BaseModel"}
    while True:
        more = {name for name, parents in bases.items() if parents & models} - models
        if not more:
            return models
        models |= more


def _postpones(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == "__future__"
        and any(a.name == "annotations" for a in node.names)
        for node in tree.body
    )


def test_modules_whose_annotations_are_evaluated_do_not_postpone_them() -> None:
    trees = _trees()
    models = _model_classes(trees) - {"BaseModel"}
    assert {"Summary", "Batch", "Settings"} <= models  # the rule below sees the package's models
    offenders = []
    for path, tree in trees.items():
        defines_model = any(isinstance(node, ast.ClassDef) and node.name in models for node in tree.body)
        registered = path.relative_to(SRC).parts[0] in REGISTERED
        if (defines_model or registered) and _postpones(tree):
            offenders.append(str(path.relative_to(SRC)))
    assert offenders == [], f"drop `from __future__ import annotations` from {offenders} (see this module's docstring)"
