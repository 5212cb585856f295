"""Every stage's check of the config, so that each command reports all of abm.toml's
problems, each with its line, before it starts any work: `abm merge` with a typo in a
segment's filter stops at once instead of after the merge.

`config.load_config(path, checks=CONFIG_CHECKS)` runs them; `abm run` adds its own
checks of [inputs] and [output] (run.py).
"""

from __future__ import annotations

from abmcli.config import Check
from abmcli.measure.config import measure_model
from abmcli.stages.score import score_model
from abmcli.stages.segment import segment_specs
from abmcli.stages.tier import tier_model

# segment_specs checks [crm_fields] too
CONFIG_CHECKS: tuple[Check, ...] = (score_model, tier_model, segment_specs, measure_model)
