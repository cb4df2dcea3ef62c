"""The data model; import models from here."""

from .org import (
    ROLES,
    ApiToken,
    Branch,
    BranchCategory,
    DeskDevice,
    Library,
    PasswordLink,
    User,
    user_branches,
)
from .question import AuditEvent, Question
from .taxonomy import AGENCY_KINDS, TOPIC_GROUPS, Agency, Channel, Help, Outcome, Topic
from .types import UTCDateTime, utcnow

__all__ = [
    "AGENCY_KINDS", "ROLES", "TOPIC_GROUPS", "Agency", "ApiToken", "AuditEvent", "Branch",
    "BranchCategory", "DeskDevice",
    "Channel", "Help", "Library", "Outcome", "PasswordLink", "Question", "Topic", "UTCDateTime",
    "User",
    "user_branches", "utcnow",
]
