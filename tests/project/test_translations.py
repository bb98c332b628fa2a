"""zh-hans and en are complete: no empty or fuzzy msgstr, and no string in the code
or templates that the catalogues lack."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
LOCALES = [code.replace("-hans", "_Hans") for code, _name in settings.LANGUAGES]


def problems(po_path: Path) -> list[str]:
    """Messages of a catalogue that are untranslated or fuzzy."""
    with po_path.open("rb") as fh:
        catalog = read_po(fh)
    found = []
    for message in catalog:
        if not message.id:
            continue
        strings = (
            message.string if isinstance(message.string, tuple) else (message.string,)
        )
        if message.fuzzy or not all(strings):
            found.append(str(message.id))
    return found


def catalogue(root: Path, locale: str) -> Path:
    return root / "locale" / locale / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated(locale):
    path = catalogue(ROOT, locale)
    assert path.exists(), f"{path} is missing"
    assert problems(path) == []


def test_the_check_catches_an_untranslated_message(tmp_path):
    po = tmp_path / "django.po"
    po.write_text('msgid ""\nmsgstr ""\n\nmsgid "Tea"\nmsgstr ""\n', encoding="utf-8")
    assert problems(po) == ["Tea"]
    po.write_text(
        'msgid ""\nmsgstr ""\n\n#, fuzzy\nmsgid "Tea"\nmsgstr "茶"\n', encoding="utf-8"
    )
    assert problems(po) == ["Tea"]


@pytest.mark.gettext
def test_catalogues_hold_every_string_in_the_code(tmp_path):
    """Re-extract into a copy of the tree: a new or changed string shows up there as
    untranslated or fuzzy."""
    copy = tmp_path / "tree"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "node_modules",
            "staticfiles",
            "media",
            "*.sqlite3",
            "artifacts",
            "__pycache__",
            ".pytest_cache",
            ".ruff_cache",
        ),
    )
    args = ["--no-obsolete", "--ignore", "tests/*", "--ignore", "bench/*"]
    for locale in LOCALES:
        args += ["--locale", locale]
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", *args],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for locale in LOCALES:
        assert problems(catalogue(copy, locale)) == [], (
            f"run `make makemessages` and translate the new {locale} strings"
        )
