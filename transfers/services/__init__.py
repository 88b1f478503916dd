"""Writes for the transfers app: `rules` (equivalences and programmes) and `requests` (transfer requests)."""
