"""Aandacht: personal digital attention for the people a municipality or care organisation serves."""
