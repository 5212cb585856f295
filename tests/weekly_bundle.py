"""A week of Northwind's vendor exports in a folder with its own abm.toml, for run tests."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import typer

EXAMPLES = Path(__file__).parent.parent / "examples"
FILES = {
    "fit": "zoominfo_company_export.csv",
    "intent": "bombora_company_surge.csv",
    "relationship": "relationship_contacts.csv",
    "engagement": "engagement_weekly.csv",
    "crm": "salesforce_account_report.csv",
}
CONFIG = """\
[inputs]
fit = "exports/zoominfo*.csv"
intent = "exports/bombora*.csv"
relationship = ["exports/relationship*.csv"]
engagement = "exports/engagement*.csv"
crm = "exports/salesforce*.csv"

[output]
folder = "weekly"

[intent]
topics = ["Account Based Marketing", "Intent Data"]

[icp]
industries = ["Software", "Internet", "Technology", "Finance", "Business Services"]
countries = ["United States", "Canada", "United Kingdom", "Germany", "France"]
employees = { min = 200, max = 10_000 }
revenue = {}

[tiers]
max_tier1 = 5
max_tier2 = 50
max_tier3 = 40

[segments.spikes]
where = 'engagement_spike and tier in ["Tier 1", "Tier 2", "Tier 3"]'
format = "csv"

[segments.crm_salesforce]
where = 'tier in ["Tier 1", "Tier 2", "Tier 3"]'
format = "salesforce_update"

[segments.crm_hubspot]
where = 'tier in ["Tier 1", "Tier 2", "Tier 3"]'
format = "hubspot_update"
"""
# A company that arrives in the second week's ZoomInfo export, and one that leaves it
# (Tidemark is only in ZoomInfo, so leaving that export drops the account).
NEW_COMPANY_ROW = (
    "100999999,Nordwind Logistik GmbH,https://www.nordwind-logistik.de/,1998,,,,250000,,1500,"
    + "," * 9 + "Software,Supply Chain Software" + "," * 21 + "Hamburg,,20095,Germany"
    + "," * 8 + "\n")
LEAVING_DOMAIN = "tidemark.com"


def make_bundle(folder: Path, config: str = CONFIG) -> Path:
    """Copy the example exports into `folder/exports` and write `folder/abm.toml`."""
    exports = folder / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    for name in FILES.values():
        shutil.copy(EXAMPLES / name, exports / name)
    path = folder / "abm.toml"
    path.write_text(config, encoding="utf-8")
    return path


def next_week_exports(folder: Path) -> None:
    """Change the ZoomInfo export the way a week does: one company in, one out."""
    path = folder / "exports" / FILES["fit"]
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    kept = [line for line in lines if LEAVING_DOMAIN not in line]
    assert len(kept) == len(lines) - 1
    path.write_text("".join(kept) + NEW_COMPANY_ROW, encoding="utf-8")


def cli_app() -> typer.Typer:
    """`abm` itself once run, diff and init are wired into it; until then an app with
    the same error handling holding just those commands."""
    from abmcli.cli.app import AbmGroup, app
    from abmcli.cli.diff import diff
    from abmcli.cli.init import init
    from abmcli.cli.run import run

    if "run" in {command.name for command in app.registered_commands}:
        return app
    local = typer.Typer(cls=AbmGroup, name="abm")

    @local.callback()
    def root(ctx: typer.Context) -> None:
        ctx.obj = {"verbose": False}

    local.command("run")(run)
    local.command("diff")(diff)
    local.command("init")(init)
    return local


# `abm` in a child process whose run waits at `abmcli.run.checkpoint` POINT while the
# file MARK exists (it creates it there), so a test can kill the run at a known moment
# or let it go on by deleting the file.
_PAUSING_ABM = """
import sys, time
from pathlib import Path
import abmcli.run
from abmcli.cli.app import main
point, mark = sys.argv[1], Path(sys.argv[2])
def wait_at(reached):
    if reached != point:
        return
    mark.touch()
    deadline = time.monotonic() + 600
    while mark.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
abmcli.run.checkpoint = wait_at
sys.argv = ["abm", *sys.argv[3:]]
main()
"""


def pausing_abm(point: str, mark: Path, *args: str) -> list[str]:
    """The command line of `abm ARGS` pausing at checkpoint `point` (see _PAUSING_ABM)."""
    return [sys.executable, "-c", _PAUSING_ABM, point, str(mark), *args]
