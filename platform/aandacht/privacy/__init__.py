"""The person's control over their data: the access log (who of the staff viewed what, and when)."""
