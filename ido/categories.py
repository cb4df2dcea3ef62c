"""Reading and seeding the reference lists (topics, agencies, help, channels, outcomes)."""

from dataclasses import dataclass

from flask_babel import gettext as _

from . import defaults
from .extensions import db
from .models import Agency, Branch, BranchCategory, Channel, Help, Outcome, Topic
from .organisation import OrganisationError, apply_changes, audit, check_code


@dataclass
class Categories:
    """The active reference lists, each in display order."""

    topics: list[Topic]
    agencies: list[Agency]
    help: list[Help]
    channels: list[Channel]
    outcomes: list[Outcome]

    def by_code(self, name: str) -> dict:
        return {item.code: item for item in getattr(self, name)}


def _active(model) -> list:
    query = db.select(model).where(model.active).order_by(model.position, model.id)
    return list(db.session.scalars(query))


def active_categories(branch: Branch | None = None) -> Categories:
    """Every active category, ordered as the desk shows them; for a branch, only the topics
    and local partners picked for its desk (when it picked any), in its own order."""
    topics, agencies = _active(Topic), _active(Agency)
    if branch is not None:
        topics = _for_branch(branch, "topic", topics)
        partners = _for_branch(branch, "partner", [a for a in agencies if a.kind == "partner"])
        agencies = [a for a in agencies if a.kind != "partner"] + partners
    return Categories(topics=topics, agencies=agencies, help=_active(Help),
                      channels=_active(Channel), outcomes=_active(Outcome))


def branch_selection(branch: Branch, kind: str) -> dict[int, int]:
    """{category id: position} picked for the branch's desk (empty: it shows them all)."""
    rows = db.session.execute(db.select(BranchCategory.category_id, BranchCategory.position)
                              .where(BranchCategory.branch_id == branch.id,
                                     BranchCategory.kind == kind))
    return dict(rows.all())


def _for_branch(branch: Branch, kind: str, items: list) -> list:
    picked = branch_selection(branch, kind)
    if not picked:
        return items
    # a DigiD follow-up comes along with its parent topic
    chosen = [i for i in items if i.id in picked or getattr(i, "parent_id", None) in picked]
    return sorted(chosen, key=lambda i: (picked.get(i.id, picked.get(
        getattr(i, "parent_id", None), 0)), i.position, i.id))


def set_branch_selection(branch: Branch, kind: str, picked: dict[int, int]) -> None:
    """Store which topics (or partners) the branch's desk shows, {id: position}; audited."""
    before = branch_selection(branch, kind)
    if before == picked:
        return
    db.session.execute(db.delete(BranchCategory).where(BranchCategory.branch_id == branch.id,
                                                       BranchCategory.kind == kind))
    db.session.add_all(BranchCategory(branch_id=branch.id, kind=kind, category_id=key,
                                      position=position) for key, position in picked.items())
    audit("update", "branch", branch, branch.library_id,
          {f"desk_{kind}s": [sorted(before), sorted(picked)]})
    db.session.commit()


def _upsert(model, code: str, position: int, **fields) -> tuple[object, bool]:
    existing = db.session.scalar(db.select(model).where(model.code == code))
    if existing is not None:
        return existing, False
    item = model(code=code, position=position, **fields)
    db.session.add(item)
    return item, True


def seed_categories() -> int:
    """Add the default categories that are missing; never overwrites edits. Returns how many."""
    added = 0
    topics: dict[str, Topic] = {}
    for pos, (code, group, parent, nl, en, hint_nl, hint_en) in enumerate(defaults.TOPICS):
        topic, new = _upsert(Topic, code, pos * 10, group=group, name_nl=nl, name_en=en,
                             hint_nl=hint_nl, hint_en=hint_en)
        if new and parent:
            topic.parent = topics[parent]
        topics[code] = topic
        added += new
    for pos, (code, kind, nl, en) in enumerate(defaults.AGENCIES):
        added += _upsert(Agency, code, pos * 10, kind=kind, name_nl=nl, name_en=en)[1]
    for model, rows in ((Help, defaults.HELP), (Channel, defaults.CHANNELS),
                        (Outcome, defaults.OUTCOMES)):
        for pos, (code, nl, en) in enumerate(rows):
            added += _upsert(model, code, pos * 10, name_nl=nl, name_en=en)[1]
    db.session.commit()
    return added


CATEGORY_MODELS = {"topic": Topic, "agency": Agency, "help": Help, "channel": Channel,
                   "outcome": Outcome}


def all_of_kind(kind: str) -> list:
    """Every category of one kind, active or not, in display order."""
    model = CATEGORY_MODELS[kind]
    return list(db.session.scalars(db.select(model).order_by(model.position, model.id)))


def save_category(kind: str, item, values: dict, library_id: int | None):
    """Add (item None) or change a category; the code is set once and never changes after.

    Returns the item; an audit event records what changed.
    """
    model = CATEGORY_MODELS[kind]
    code = values.pop("code", "").strip()
    if item is None:
        check_code(code)
        if db.session.scalar(db.select(model).where(model.code == code)):
            raise OrganisationError(_("The code %(code)s is already in use.", code=code))
        item = model(code=code, **values)
        db.session.add(item)
        action, changes = "create", {"code": code, **{k: getattr(v, "code", v)
                                                      for k, v in values.items()}}
    else:
        action, changes = "update", {k: [getattr(old, "code", old), getattr(new, "code", new)]
                                     for k, (old, new) in apply_changes(item, **values).items()}
    if changes:
        audit(action, "category", item, library_id, changes, entity_id=f"{kind}:{item.code}")
    db.session.commit()
    return item
