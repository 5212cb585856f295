"""Upload formats: how tiers and campaign lists go back into CRMs and ad platforms."""
