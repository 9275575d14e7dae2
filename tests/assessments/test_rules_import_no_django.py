"""The pure rules import no Django: the services call them inside a transaction. Each test
starts a Python process, so they carry no `pure` marker and `make mutation` leaves them out."""

import subprocess
import sys
from pathlib import Path


def test_the_engine_imports_no_django() -> None:
    """The check-in service calls it inside a transaction; it must stay pure."""
    code = (
        "import sys, assessments.rules.check_in; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, check=False)
    assert result.returncode == 0


def test_the_engagement_rules_import_no_django():
    code = (
        "import sys, assessments.rules.engagement; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
