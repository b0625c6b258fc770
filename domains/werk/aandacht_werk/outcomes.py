"""The outcomes of a job seeker on welfare that the Enschede pilot counted, each with its date.

- work or study that ends the benefit (outflow);
- new part-time work or study beside the benefit (it does not, or not yet, end it);
- the benefit ended for another reason (moved away, a partner's income, another benefit, ...).
"""

from aandacht.research.types import OutcomeDetail, OutcomeType
from aandacht_werk.attributes import SECTORS
from aandacht_werk.i18n import lazy_gettext

_WORK_OR_STUDY = OutcomeDetail(
    "activity",
    lazy_gettext("Work or study"),
    kind="choice",
    required=True,
    options=(("work", lazy_gettext("Work")), ("study", lazy_gettext("Study"))),
)
_HOURS = OutcomeDetail("hours", lazy_gettext("Hours a week"), kind="number", minimum=1, maximum=60)
_SECTOR = OutcomeDetail(
    "sector",
    lazy_gettext("Sector"),
    kind="choice",
    options=tuple((option.value, option.label) for option in SECTORS),
)
_EMPLOYER = OutcomeDetail("employer", lazy_gettext("Employer or school"), longest=200)
_CONTRACT = OutcomeDetail(
    "contract",
    lazy_gettext("Kind of contract"),
    kind="choice",
    options=(
        ("permanent", lazy_gettext("Permanent")),
        ("temporary", lazy_gettext("Temporary")),
        ("agency", lazy_gettext("Through an agency")),
        ("self_employed", lazy_gettext("Own business")),
        ("trial", lazy_gettext("Trial placement")),
    ),
)
_REASON = OutcomeDetail(
    "reason",
    lazy_gettext("Reason"),
    kind="choice",
    required=True,
    options=(
        ("moved", lazy_gettext("Moved to another municipality")),
        ("partner_income", lazy_gettext("Income of a partner")),
        ("other_benefit", lazy_gettext("Another benefit or pension")),
        ("detention", lazy_gettext("Detention")),
        ("deceased", lazy_gettext("Deceased")),
        ("other", lazy_gettext("Another reason")),
    ),
)

OUTCOME_TYPES = (
    OutcomeType(
        key="werk.work_ends_benefit",
        label=lazy_gettext("Work or study that ends the benefit"),
        description=lazy_gettext("The person found work or started a study, and the benefit stops."),
        icon="briefcase",
        ends_trajectory=True,
        details=(_WORK_OR_STUDY, _HOURS, _SECTOR, _EMPLOYER, _CONTRACT),
    ),
    OutcomeType(
        key="werk.part_time_beside_benefit",
        label=lazy_gettext("Part-time work or study beside the benefit"),
        description=lazy_gettext("New work or study that does not end the benefit, or not yet."),
        icon="clock-hour-4",
        details=(_WORK_OR_STUDY, _HOURS, _SECTOR, _EMPLOYER, _CONTRACT),
    ),
    OutcomeType(
        key="werk.benefit_ended_other",
        label=lazy_gettext("Benefit ended for another reason"),
        description=lazy_gettext("The benefit stopped, but not because of work or study."),
        icon="circle-x",
        ends_trajectory=True,
        details=(_REASON,),
    ),
)
