"""Selections: one JSON predicate language for audiences, eligibility, cohorts and caseload filters."""
