"""A domain that loads, but whose blueprints cannot be made."""

from aandacht.plugins import Domain


class LeakyDomain(Domain):
    """Breaks while contributing its routes."""

    name = "lek"

    def blueprints(self):
        """Fail as a buggy domain would."""
        raise ValueError("no routes today")


domain = LeakyDomain()
