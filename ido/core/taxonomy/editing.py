"""Adding and changing categories (codes never change once made), a branch's desk choice of
topics and partners, and seeding the default lists."""

from typing import Any, cast

from flask_babel import gettext as _

from ido.core.audit import Actor, apply_changes, audit
from ido.core.checks import check_code, partner_code
from ido.core.db import db
from ido.core.exceptions import ServiceError
from ido.core.models import (
    ActivityKind,
    Agency,
    Branch,
    BranchCategory,
    Category,
    Channel,
    Help,
    Library,
    Outcome,
    Topic,
)
from ido.core.taxonomy import defaults
from ido.core.taxonomy.lists import _C, branch_selection, bump_taxonomy, log


def set_branch_selection(
    branch: Branch, kind: str, picked: dict[int, int], actor: Actor | None = None
) -> None:
    """Store which topics (or partners) the branch's desk shows, {id: position}; audited."""
    before = branch_selection(branch, kind)
    if before == picked:
        return
    db.session.execute(
        db.delete(BranchCategory).where(
            BranchCategory.branch_id == branch.id, BranchCategory.kind == kind
        )
    )
    bump_taxonomy(db.session)  # a choice emptied (all shown again) adds no row to notice
    db.session.add_all(
        BranchCategory(branch_id=branch.id, kind=kind, category_id=key, position=position)
        for key, position in picked.items()
    )
    audit(
        actor,
        "update",
        "branch",
        branch.id,
        branch.library_id,
        {f"desk_{kind}s": [sorted(before), sorted(picked)]},
    )
    db.session.flush()


def seed_categories() -> int:
    """Add the default categories that are missing; never overwrites edits. Returns how many.

    One SELECT per list finds the codes there are (a fresh database, or one that has them all,
    costs five queries, not one per category).
    """
    existing: dict[type[Category], dict[str, Category]] = {
        model: {item.code: item for item in db.session.scalars(db.select(model))}
        for model in (Topic, Agency, Help, Channel, Outcome, ActivityKind)
    }
    added: list[Category] = []

    def add(model: type[_C], code: str, position: int, **fields: Any) -> _C:
        if code in existing[model]:
            return cast(_C, existing[model][code])
        item = existing[model][code] = model(code=code, position=position, **fields)
        added.append(item)
        return item

    for pos, (code, group, parent, nl, en, hint_nl, hint_en) in enumerate(defaults.TOPICS):
        topic = add(
            Topic,
            code,
            pos * 10,
            group=group,
            name_nl=nl,
            name_en=en,
            hint_nl=hint_nl,
            hint_en=hint_en,
        )
        if parent and topic in added:
            topic.parent = existing[Topic][parent]
    for pos, (code, kind, nl, en) in enumerate(defaults.AGENCIES):
        level = defaults.AGENCY_LEVELS.get(code, "overig")
        add(Agency, code, pos * 10, kind=kind, level=level, name_nl=nl, name_en=en)
    for model, rows in (
        (Help, defaults.HELP),
        (Channel, defaults.CHANNELS),
        (Outcome, defaults.OUTCOMES),
        (ActivityKind, defaults.ACTIVITY_KINDS),
    ):
        for pos, (code, nl, en) in enumerate(rows):
            add(model, code, pos * 10, name_nl=nl, name_en=en)
    db.session.add_all(added)
    db.session.flush()
    return len(added)


CATEGORY_MODELS: dict[str, type[Category]] = {
    "topic": Topic,
    "agency": Agency,
    "help": Help,
    "channel": Channel,
    "outcome": Outcome,
    "activity_kind": ActivityKind,
}


def all_of_kind(kind: str, library_id: int | None = None) -> list[Category]:
    """Every category of one kind, active or not, in display order; for a library, without
    the local partners of other libraries."""
    model = CATEGORY_MODELS[kind]
    items = db.session.scalars(db.select(model).order_by(model.position, model.id))
    return [i for i in items if not isinstance(i, Agency) or i.seen_by(library_id)]


def save_category(
    kind: str,
    item: Category | None,
    values: dict[str, Any],
    library_id: int | None,
    actor: Actor | None = None,
) -> Category:
    """Add (item None) or change a category; the code is set once and never changes after.

    Returns the item; an audit event records what changed.
    """
    model = CATEGORY_MODELS[kind]
    code = values.pop("code", "").strip()
    if item is None:
        library = values.get("library_id") and db.session.get(Library, values["library_id"])
        if model is Agency and library:  # a library's own partner: a code of its own
            code = partner_code(library.code, code)
        else:
            check_code(code)
        if db.session.scalar(db.select(model).where(model.code == code)):
            raise ServiceError(_("The code %(code)s is already in use.", code=code))
        item = model(code=code, **values)
        db.session.add(item)
        action, changes = (
            "create",
            {"code": code, **{k: getattr(v, "code", v) for k, v in values.items()}},
        )
    else:
        if values.get("parent") is item:
            raise ServiceError(_("A topic cannot be a follow-up of itself."))
        action, changes = (
            "update",
            {
                k: [getattr(old, "code", old), getattr(new, "code", new)]
                for k, (old, new) in apply_changes(item, **values).items()
            },
        )
    if changes:
        audit(actor, action, "category", f"{kind}:{item.code}", library_id, changes)
        log.info("category %s:%s %sd", kind, item.code, action)
    db.session.flush()
    return item


MAX_POSITION = 100_000


def save_branch_desk(
    branch: Branch, picked: dict[str, dict[int, int]], actor: Actor | None = None
) -> None:
    """Store which topics and local partners the branch's desk shows, both or neither.

    ``picked`` is {"topic": {id: position}, "partner": {...}}; an empty choice shows them all.
    Each list is checked as it is written, so a refusal can come after the first list was
    flushed: the caller's transaction (one request) then rolls both back.
    """
    for kind, chosen in picked.items():
        if any(not 0 <= position <= MAX_POSITION for position in chosen.values()):
            raise ServiceError(_("An order is a whole number from 0 to %(n)s.", n=MAX_POSITION))
        set_branch_selection(branch, kind, chosen, actor)
