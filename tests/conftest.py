"""Tests run with text kept as abm keeps it (abmcli/frames.py), whatever their order."""

from abmcli.frames import keep_text_in_python

keep_text_in_python()
