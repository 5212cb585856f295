"""Pipeline stages: frames in, frames and typed results out (hub, score, tier, segments,
changes, explain, the weekly memory)."""
