"""Research: outcomes of the people served (and, later, cohorts, randomised assignment and reports)."""
