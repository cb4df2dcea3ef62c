"""The data model; import models from here."""

from ido.core.models.activity import (
    ACTIVITY_FORMS,
    MAX_ATTENDANCE,
    REPEATS,
    Activity,
    ActivityKind,
    ActivitySession,
)
from ido.core.models.contact import AgencyContact
from ido.core.models.factor import RecoveryCode, SecondFactor
from ido.core.models.org import (
    ROLES,
    ApiToken,
    Branch,
    BranchCategory,
    DeskDevice,
    Library,
    PasswordLink,
    User,
    WorkAccountProvider,
    user_branches,
)
from ido.core.models.question import LINKS, AuditEvent, Link, Question, joined_codes, link_rows
from ido.core.models.taxonomy import (
    AGENCY_KINDS,
    TOPIC_GROUPS,
    Agency,
    Category,
    Channel,
    Help,
    NationalForm,
    Outcome,
    TaxonomyVersion,
    Topic,
)
from ido.core.models.types import UTCDateTime, utcnow

__all__ = [
    "ACTIVITY_FORMS",
    "MAX_ATTENDANCE",
    "REPEATS",
    "Activity",
    "ActivityKind",
    "ActivitySession",
    "LINKS",
    "Link",
    "joined_codes",
    "link_rows",
    "AGENCY_KINDS",
    "ROLES",
    "TOPIC_GROUPS",
    "Agency",
    "AgencyContact",
    "ApiToken",
    "AuditEvent",
    "Branch",
    "BranchCategory",
    "Category",
    "DeskDevice",
    "Channel",
    "Help",
    "Library",
    "NationalForm",
    "Outcome",
    "PasswordLink",
    "Question",
    "RecoveryCode",
    "SecondFactor",
    "TaxonomyVersion",
    "Topic",
    "UTCDateTime",
    "User",
    "WorkAccountProvider",
    "user_branches",
    "utcnow",
]
