"""abm keeps text in Python strings even with pyarrow installed (abmcli/frames.py): on the
100,000-account merge pyarrow text cost a third more memory at peak for no speed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
SCRIPT = """
from typer.testing import CliRunner
from abmcli.cli.app import app
CliRunner().invoke(app, ["inspect", "examples/salesforce_account_report.csv"])
import pandas as pd
print(pd.options.mode.string_storage, type(pd.Series(["a"]).array).__name__)
"""


def test_a_command_keeps_text_in_python_strings() -> None:
    # A fresh process: the test session itself sets the option in conftest.py.
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    assert done.stdout.split() == ["python", "StringArray"]


def test_a_commands_help_loads_no_pandas() -> None:
    script = ("import sys\nfrom abmcli.cli.app import main\nsys.argv = ['abm', 'merge', "
              "'--help']\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
              "print('pandas' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    assert done.stderr.strip().endswith("False")
