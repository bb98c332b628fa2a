"""A database made before the re-cut of issue 16 migrates forward with every row:
platform/migrate-forward-check.sh seeds a PostgreSQL database with the code of
the last commit before it (the small demo, plus a dirty day), migrates it with
this tree's code, and compares every table's and every model's rows and the moved
models' content types. ProductChange is not moved but folded into the audit trail
(catalogue 0002): its table is gone and the audit table gained the events made
from it. It runs its own PostgreSQL, beside the tests' one."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.services

BEFORE_THE_RECUT = "98a1f61"
ROOT = Path(settings.BASE_DIR)


def test_a_database_seeded_before_the_recut_keeps_every_row():
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.fail("the check needs the repository's history (a git clone)")
    run = subprocess.run(
        ["bash", "platform/migrate-forward-check.sh", BEFORE_THE_RECUT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-4000:]
    moved = [line for line in run.stdout.splitlines() if line.startswith("moved ")]
    # The models the re-cut moved, each read through its new app.
    assert {line.split()[3] for line in moved} == {
        "catalogue.Category",
        "catalogue.Product",
        "catalogue.ProductImage",
        "fieldwork.TrainingSession",
        "fieldwork.Attendance",
        "fieldwork.Visit",
        "fieldwork.IncomeSurvey",
        "fieldwork.HelpCase",
        "orders.DirtyDay",
    }
    assert "DIFFERENT" not in output
    folded = [
        line.split()[1:4:2]
        for line in run.stdout.splitlines()
        if line.startswith("folded ")
    ]
    assert folded == [["farmers_productchange", "audit_auditevent"]]
