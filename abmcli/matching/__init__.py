"""Assigning every source row to an account: keys, rare-word name similarity, evidence
beyond the name, and the reviewer's decisions."""
