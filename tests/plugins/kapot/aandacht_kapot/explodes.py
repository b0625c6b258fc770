"""A domain whose import fails."""

raise RuntimeError("the kapot domain cannot start")
