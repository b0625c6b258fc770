"""Attention for coaches: contact moments, signals and the worklist (who needs attention now, and why)."""
