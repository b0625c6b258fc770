"""Outreach: messages to people over app, e-mail, SMS and web push."""
