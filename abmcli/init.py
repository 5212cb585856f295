"""`abm init`: a commented starter abm.toml and an exports/ folder for the weekly run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from abmcli.errors import AbmError
from abmcli.safe import atomic_path

CONFIG_NAME = "abm.toml"
EXPORTS = "exports"

STARTER_CONFIG = '''\
# abm.toml: what `abm run --config abm.toml` reads every week. Paths are relative to
# this file. Every setting is optional; the values shown are the defaults unless a
# comment says "example". The README describes each section.

# The date signals are aged against and the week folder is named after. Leave it out
# to use the day of the run; set it to rerun an old week the same way.
# as_of = 2026-11-25

[inputs]
# One line per family: a file, a glob or a list of them. A glob takes its newest file
# (by modification time), so each week's export can simply be dropped into exports/;
# the run and summary.json say which file was used. For Excel exports write *.xlsx.
fit = "exports/zoominfo*.csv"               # example: ZoomInfo or Apollo company export
intent = "exports/bombora*.csv"             # example: Bombora Company Surge
relationship = "exports/relationship*.csv"  # example: relationship-score export
engagement = "exports/engagement*.csv"      # example: web / marketing automation
crm = "exports/salesforce*.csv"             # example: Salesforce or HubSpot accounts
# For the scorecard (see "The scorecard" in the README), uncomment when you export them:
# opportunities = "exports/opportunities*.csv"  # Salesforce opportunity report, HubSpot deals
# contacts = "exports/contacts*.csv"            # ZoomInfo, Apollo, Salesforce, HubSpot people

[output]
# Each run writes <folder>/2026-W48/ (the ISO week) and points <folder>/latest at it.
folder = "abm-output"
# A reviewer's accept/reject decisions on look-alike accounts; every run applies them
# and adds new candidates as blank rows. "" means decisions.csv in the output folder.
decisions = ""

[changes]
# The Changes sheet lists accounts whose account score moved at least this much.
score_threshold = 10

[memory]
# An account a week's export leaves out keeps its fit, CRM and relationship data for
# this many weeks (marked as carried); intent and engagement history is kept across
# runs so a missing row does not look like a drop. 0 turns this off.
carry_forward_weeks = 4

[match]
fuzzy_threshold = 92          # a name-only row joins an account scoring at least this
candidate_threshold = 90      # different domains with names this close go to review

[icp]                         # example ideal customer profile: change it to yours
# Rules met add to the fit score.
industries = ["Software", "Financial Services"]
countries = ["United States", "Canada", "United Kingdom"]
employees = { min = 200, max = 10_000 }
revenue = { min = 20_000_000 }

[scoring.weights]             # how the account score blends the family scores
fit = 40
intent = 30
relationship = 10
engagement = 20

[tiers]
# Every tier rule, its default and a worked example: docs/TIERS.md in abm's repository.
min_fit = 60                  # below: Out of ICP
tier1_min_fit = 80
recent_engagement_days = 30   # a visit, meeting, reply, form fill or spike this recent
customers = "tier"            # CRM customers: "tier", "expansion" (own list), "exclude"
# Example capacity caps (default: none); the lowest-scored overflow moves down a tier.
# max_tier1 = 100
# max_tier2 = 200
# max_tier3 = 200

# Example: tiers back into Salesforce every week (Id + the [crm_fields] custom fields;
# format = "hubspot_update" writes a HubSpot company import instead).
# [segments.salesforce_tiers]
# where = 'tier in ["Tier 1", "Tier 2", "Tier 3"]'
# format = "salesforce_update"

# A campaign list, written to <week>/segments/ on every run.
[segments.tier1_and_2]        # example
description = "Tier 1 and Tier 2 accounts for the 1:1 and 1:few programs"
where = 'tier in ["Tier 1", "Tier 2"]'
format = "csv"
'''


@dataclass
class Starter:
    """What `abm init` wrote."""

    config: Path
    exports: Path


def write_starter(directory: Path, overwrite: bool = False) -> Starter:
    """Write `directory/abm.toml` and create `directory/exports/`.

    An existing abm.toml is kept unless `overwrite`: it may hold a team's settings.
    """
    directory = Path(directory)
    config = directory / CONFIG_NAME
    if config.exists() and not overwrite:
        raise AbmError(f"{config}: already exists and was left as it is; edit it, or run "
                       "abm init --force to replace it with the starter")
    try:
        (directory / EXPORTS).mkdir(parents=True, exist_ok=True)
        with atomic_path(config) as temp:
            temp.write_text(STARTER_CONFIG, encoding="utf-8")
    except OSError as error:
        raise AbmError(f"{directory}: cannot write the starter config ({error.strerror}); "
                       "choose a folder you can write to") from error
    return Starter(config, directory / EXPORTS)
