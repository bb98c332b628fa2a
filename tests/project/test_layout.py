"""The house keeps its shape (docs/ARCHITECTURE.md, "The house" and "Inside an
app"): no module outside tests/, the migrations and bench/ is over 400 lines, no
layer is told apart by a filename suffix, every module says what it is, and every
app is named in the layout."""

import ast
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LIMIT = 400
LAYER_SUFFIX = re.compile(r"_(views|forms|services|selectors|serializers|tasks)\.py$")


def project_modules() -> list[Path]:
    skipped = {"tests", "bench", "migrations", ".venv", "node_modules", "staticfiles"}
    return [
        path
        for path in ROOT.rglob("*.py")
        if not skipped & set(path.relative_to(ROOT).parts)
    ]


def test_no_module_is_over_400_lines():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in project_modules()
        if (lines := len(path.read_text().splitlines())) > LIMIT
    }
    assert long == {}


def test_no_layer_is_told_apart_by_a_filename_suffix():
    assert [
        str(path.relative_to(ROOT))
        for path in project_modules()
        if LAYER_SUFFIX.search(path.name)
    ] == []


def test_every_module_has_a_docstring():
    missing = []
    for path in project_modules():
        tree = ast.parse(path.read_text())
        if path.name == "__init__.py" and not tree.body:
            continue
        if ast.get_docstring(tree) is None:
            missing.append(str(path.relative_to(ROOT)))
    assert missing == []


def test_the_layout_names_every_app():
    layout = (ROOT / "docs" / "ARCHITECTURE.md").read_text().split("## Layout", 1)[1]
    layout = layout.split("```", 2)[1]
    ours = [
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).parent == ROOT
    ]
    assert ours, "no project app found"
    assert [name for name in ours if f"\n{name}/" not in layout] == []
