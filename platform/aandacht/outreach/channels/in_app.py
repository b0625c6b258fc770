"""In the app: the message is shown in the person's list of messages, so handing it over is recording it."""

from __future__ import annotations

from aandacht.outreach.channels.base import HandOff, Outgoing, Recipient


class InApp:
    """The participant app's list of messages (with the unread count in its menu)."""

    name = "in_app"

    def reaches(self, recipient: Recipient) -> bool:
        """Everyone has the app's list."""
        return True

    def send(self, outgoing: Outgoing) -> HandOff:
        """Nothing leaves the database: the row itself is what the app shows once it is `sent`."""
        return HandOff(address="app")
