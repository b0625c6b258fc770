"""Personalisation: interaction events (and, with the content catalogue, the ranker)."""
