"""How the records name what the database keys by number: branches by code, people by e-mail
address, categories by code; tablets, activities and sessions by their key in the file (their
id where the file was written, mapped to the new id on import). Ids differ between instances;
codes and addresses do not."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ido.core.db import db
from ido.core.models import (
    LINKS,
    Activity,
    ActivityKind,
    Agency,
    AgencyContact,
    BranchCategory,
    Category,
    Channel,
    Help,
    Library,
    Outcome,
    Question,
    Topic,
    User,
)
from ido.core.models.activity import activity_topics

# The kinds of category a file names, and their models (agencies and referrals are agencies).
KINDS: dict[str, type[Category]] = {
    "topic": Topic,
    "agency": Agency,
    "help": Help,
    "channel": Channel,
    "outcome": Outcome,
    "activity_kind": ActivityKind,
}
# Audit events whose changes list category ids (a branch's desk choice), and their model.
CHANGES_BY_ID: dict[str, type[Category]] = {"desk_topics": Topic, "desk_partners": Agency}
# Audit events about a person name them by id; a password link names its person too.
ABOUT_A_PERSON = ("user", "password_link")


@dataclass
class Names:
    """The numbers of one instance and what the file calls them instead."""

    library: Library
    branches: dict[int, str]  # id: code
    people: dict[int, str]  # id: e-mail address (the library's people, and anyone it names)
    codes: dict[type[Category], dict[int, str]]  # per model, id: code

    @classmethod
    def load(cls, library: Library) -> "Names":
        return cls(
            library,
            {branch.id: branch.code for branch in library.branches},
            {key: email for key, email in db.session.execute(select(User.id, User.email))},
            {
                model: {key: code for key, code in db.session.execute(select(model.id, model.code))}
                for model in KINDS.values()
            },
        )

    def code(self, model: type[Category], key: int) -> str:
        return self.codes[model][key]

    def entity_ref(self, entity: str, entity_id: str) -> str:
        """An audit event's subject as the file names it: a code or an e-mail address for the
        library, a branch or a person; a tablet's key; anything else as it was."""
        key = int(entity_id) if entity_id.isdecimal() else None
        if key is None:
            return entity_id
        if entity == "library" and key == self.library.id:
            return self.library.code
        if entity == "branch":
            return self.branches.get(key, entity_id)
        if entity in ABOUT_A_PERSON:
            return self.people.get(key, entity_id)
        return entity_id

    def changes_out(self, changes: dict[str, Any]) -> dict[str, Any]:
        """The changes, with a desk choice's category ids as codes."""
        return {
            key: _mapped(value, self.codes[CHANGES_BY_ID[key]]) if key in CHANGES_BY_ID else value
            for key, value in changes.items()
        }


def _mapped(value: Any, names: dict[Any, Any]) -> Any:
    """A value, a list of them or a list of lists, each replaced by its name where it has one."""
    if isinstance(value, list):
        return [_mapped(item, names) for item in value]
    if isinstance(value, bool):
        return value
    return names.get(value, value)


def changes_in(
    changes: dict[str, Any], ids: dict[type[Category], dict[str, int]]
) -> dict[str, Any]:
    """The changes of a file's audit event, with a desk choice's codes as this instance's ids."""
    return {
        key: _mapped(value, ids[CHANGES_BY_ID[key]]) if key in CHANGES_BY_ID else value
        for key, value in changes.items()
    }


def shared_categories_used(library: Library, names: Names) -> dict[str, list[str]]:
    """The codes of the shared categories that the library's questions and desks use, by kind
    (its own partners travel in the file)."""
    branches = list(names.branches)
    used: dict[str, set[int]] = {kind: set() for kind in KINDS}
    for link in LINKS:
        kind = "agency" if link.model is Agency else link.dimension
        used[kind].update(
            db.session.scalars(
                select(link.table.c[link.key])
                .where(link.table.c.branch_id.in_(branches))
                .distinct()
            )
        )
    for kind, column in (("channel", Question.channel_id), ("outcome", Question.outcome_id)):
        used[kind].update(
            db.session.scalars(select(column).where(Question.branch_id.in_(branches)).distinct())
        )
    for kind, category_id in db.session.execute(
        select(BranchCategory.kind, BranchCategory.category_id).where(
            BranchCategory.branch_id.in_(branches)
        )
    ):
        used["topic" if kind == "topic" else "agency"].add(category_id)
    activities = select(Activity.id).where(Activity.branch_id.in_(branches))
    sources: list[tuple[str, Any, Any]] = [
        ("activity_kind", Activity.kind_id, Activity.id.in_(activities)),
        ("agency", Activity.partner_id, Activity.id.in_(activities)),
        ("topic", activity_topics.c.topic_id, activity_topics.c.activity_id.in_(activities)),
        ("agency", AgencyContact.agency_id, AgencyContact.library_id == library.id),
    ]
    for kind, key, where in sources:
        found = db.session.scalars(select(key).where(where).distinct())
        used[kind].update(key for key in found if key is not None)  # None: the library runs it
    own = set(db.session.scalars(select(Agency.id).where(Agency.library_id == library.id)))
    used["agency"] -= own
    return {
        kind: sorted(names.codes[KINDS[kind]][key] for key in keys) for kind, keys in used.items()
    }
