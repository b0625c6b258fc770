"""The person's page for staff: the hub of a person's data, their timeline, and the staff's notes."""
