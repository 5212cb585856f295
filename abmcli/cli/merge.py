"""`abm merge`: match every vendor row to an account and write the account-hub workbook."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from abmcli.cli.common import (
    ConfigOption,
    EncodingOption,
    QuietOption,
    console,
    family_files,
    family_options,
    progress_steps,
    say,
    shown,
    warn,
)
from abmcli.errors import AbmError
from abmcli.fields import FAMILIES
from abmcli.words import counted

if TYPE_CHECKING:
    from abmcli.outputs.hub_workbook import WrittenFiles
    from abmcli.stages.merge import MergeResult


@family_options(FAMILIES, after="files")  # --fit, --intent ... one per merged family
def merge(
    files: Annotated[
        list[str] | None,
        typer.Argument(help="Vendor exports; the family of each is recognised from its header.",
                       metavar="FILE", show_default=False),
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The account-hub workbook to write (.xlsx).")
    ] = Path("hub.xlsx"),
    lineage: Annotated[
        Path | None,
        typer.Option(help="Also write where every input row went, as CSV."),
    ] = None,
    decisions: Annotated[
        Path | None,
        typer.Option(help="A reviewer's accept/reject decisions (CSV). Open candidates are "
                     "added to it as blank rows to fill in."),
    ] = None,
    config: ConfigOption = None,
    encoding: EncodingOption = None,
    quiet: QuietOption = False,
    **files_by_family: list[str],
) -> None:
    """Merge vendor exports into one account hub: one row per account, nothing lost.

    Example: abm merge examples/*.csv -o hub.xlsx --lineage lineage.csv
    """
    from abmcli.config import load_config
    from abmcli.config_checks import CONFIG_CHECKS
    from abmcli.outputs.hub_workbook import write_merge_outputs
    from abmcli.safe import refuse_writing_inputs
    from abmcli.stages.merge import InputSpec, merge_files
    from abmcli.xlsx.workbook import check_workbook_name

    inputs = [InputSpec(f) for f in files or []] + [
        InputSpec(path, family) for path, family in family_files(**files_by_family)]
    if not inputs:
        raise AbmError("no input files given. Example: abm merge exports/*.csv -o hub.xlsx")
    check_workbook_name(output)  # before the work, not after it
    refuse_writing_inputs({"-o": output, "--lineage": lineage, "--decisions": decisions},
                          [spec.path for spec in inputs] + [config])
    settings = load_config(config, CONFIG_CHECKS)
    with progress_steps(quiet) as step:
        result = merge_files(inputs, settings, decisions, encoding, progress=step)
        step(f"writing {output}")
        written = write_merge_outputs(result, output, lineage, decisions, settings)
    # even with --quiet: a decision not applied, a file given with the wrong family
    for warning in [*result.warnings, *(f"{Path(f.source_file).name}: {w}"
                                         for f in result.files for w in f.warnings)]:
        warn(warning)
    if not quiet:
        render_merge_summary(result, written)


def render_merge_summary(result: MergeResult, written: WrittenFiles) -> None:
    console.print(files_table(result))
    for f in result.files:
        for note in f.notes:
            console.print(say("[dim]{}: {}[/]", Path(f.source_file).name, note))
    coverage = "  ".join(f"{family} {share:.0%}" for family, share in result.coverage().items())
    console.print(f"[bold]{counted(len(result.hub), 'account')}[/] from "
                  f"{counted(result.rows_in, 'row')} · "
                  f"coverage {coverage}")
    candidates = result.open_candidates()
    if candidates:
        console.print(say("[yellow]{} to review[/] (similar names "
                          "kept apart until you decide): write accept or reject in the "
                          "decision column of {}; every run with --decisions {} applies them",
                          counted(candidates, "candidate pair"),
                          written.decisions, written.decisions))
    if separated := result.separated_pairs():
        console.print(say("[dim]{} listed last on Review for the record: the names differ "
                          "and the evidence says two companies (no decision needed)[/]",
                          counted(separated, "look-alike pair")))
    console.print(shown(f"wrote {written.hub}"
                        + (f" and {written.lineage}" if written.lineage else "")))


COUNT_COLUMNS = ("rows", "domain", "crm id", "name", "fuzzy", "decision", "rejected")
# Shown only when some row was placed so: most merges have no CRM ids to join by.
OPTIONAL_COUNTS = ("crm id",)


def files_table(result: MergeResult) -> Table:
    """Rows in per file. Counts are never cut: on a narrow terminal the file and layout
    names wrap or shorten instead."""
    files = Table(title="rows in", title_justify="left")
    files.add_column("file", overflow="fold")
    files.add_column("family")
    files.add_column("layout", overflow="ellipsis")
    columns = [c for c in COUNT_COLUMNS
               if c not in OPTIONAL_COUNTS or any(f.matched.get(c) for f in result.files)]
    counts = [[f.rows, *(f.matched.get(k, 0) for k in columns[1:])] for f in result.files]
    for position, column in enumerate(columns):
        widest = max((len(f"{row[position]:,}") for row in counts), default=1)
        files.add_column(column, justify="right", no_wrap=True, min_width=widest)
    for f, row in zip(result.files, counts, strict=True):
        cells = [f"{n:,}" for n in row[:-1]] + [_warn_if(row[-1])]
        files.add_row(shown(Path(f.source_file).name), f.family, shown(f.vendor), *cells)
    return files


def _warn_if(count: int) -> str:
    return f"[yellow]{count:,}[/]" if count else "0"
