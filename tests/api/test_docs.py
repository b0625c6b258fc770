"""docs/api.md stays true to the code: its scopes table and its list of error codes."""

import re
from pathlib import Path

from aandacht.accounts.permissions import SCOPES
from aandacht.api.errors import CODES

GUIDE = (Path(__file__).resolve().parents[2] / "docs/api.md").read_text()


def table_after(heading: str) -> list[list[str]]:
    section = GUIDE.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]


def test_the_scopes_table_is_the_scopes_of_the_code():
    assert {row[0].strip("`"): row[1] for row in table_after("Scopes")} == SCOPES


def test_every_error_code_is_documented_and_nothing_else():
    assert {row[0].strip("`") for row in table_after("Errors")} == set(CODES)
    assert all(re.fullmatch(r"\d{3}", row[1]) for row in table_after("Errors"))
