"""The active reference lists, in the desk's order, for a library or a branch; each process keeps
the lists it loaded under the taxonomy version (a version query instead of six)."""

import logging
import threading
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from sqlalchemy import CursorResult, event, select, update
from sqlalchemy.orm import Session, scoped_session, selectinload

from ido.core.db import db, has_writes
from ido.core.models import (
    Agency,
    Branch,
    BranchCategory,
    Category,
    Channel,
    Help,
    Outcome,
    Question,
    TaxonomyVersion,
    Topic,
)

log = logging.getLogger(__name__)
TAXONOMY_MODELS = (Topic, Agency, Help, Channel, Outcome, BranchCategory)
AnySession = Session | scoped_session[Any]  # a side session, or the request's

_C = TypeVar("_C", bound=Category)  # one kind of category


@dataclass
class Categories:
    """The active reference lists, each in display order."""

    topics: list[Topic]
    agencies: list[Agency]
    help: list[Help]
    channels: list[Channel]
    outcomes: list[Outcome]
    # what the web layer works out from these lists once (form choices, rendered fields),
    # kept as long as the lists are: in the process cache, until the taxonomy version changes
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def by_code(self, name: str) -> dict[str, Any]:
        return {item.code: item for item in getattr(self, name)}


def _active(session: AnySession, model: type[_C]) -> list[_C]:
    query = select(model).where(model.active).order_by(model.position, model.id)
    if model is Topic:  # no lazy load on a shared copy, an inactive parent's parent included
        query = query.options(selectinload(Topic.parent).selectinload(Topic.parent))
    return list(session.scalars(query))


def active_categories(branch: Branch | None = None, library_id: int | None = None) -> Categories:
    """Every active category, ordered as the desk shows them; for a library (or a branch's),
    only its own local partners and the shared ones; for a branch, only the topics and local
    partners picked for its desk (when it picked any), in its own order.

    Each process keeps the lists it loaded under the taxonomy version (see TaxonomyVersion):
    a version query instead of six. The items belong to no session and are shared by every
    request: read them, never change them (the question service writes their ids; a page
    that edits a category loads it itself). A request that changed something already loads
    them afresh, in its own session."""
    if branch is not None:
        library_id = branch.library_id
    branch_id = branch.id if branch is not None else None
    if has_writes():
        return _load(db.session, branch_id, library_id)
    database = str(db.engine.url)  # one process may serve several (the tests do)
    key = (database, _version(db.session), branch_id, library_id)
    cached = _CACHE.get(key)
    if cached is None:
        # loaded in a session of its own, so that no request ever holds (or changes) the
        # cached objects; its version is read first, so the lists are at least that new. On
        # the request's own connection: a request holding SQLite's write lock never waits for
        # a second connection from a pool that the requests waiting for the lock have taken.
        with Session(bind=db.session.connection(), expire_on_commit=False) as side:
            key = (database, _version(side), branch_id, library_id)
            cached = _load(side, branch_id, library_id)
        with _CACHE_LOCK:
            # lists of an older version of this database are never asked for again
            for old in [k for k in _CACHE if k[0] == database and k[1] < key[1]]:
                del _CACHE[old]
            if len(_CACHE) >= CACHE_SIZE:
                _CACHE.clear()
            _CACHE[key] = cached
    return cached


def with_held(categories: Categories, question: Question) -> Categories:
    """The lists plus what a question already holds that they lack (a topic its branch has
    since dropped from its desk, a category switched off): correcting it keeps them."""

    def plus(items: list[_C], held: list[_C]) -> list[_C]:
        ids = {item.id for item in items}
        return items + [item for item in dict.fromkeys(held) if item.id not in ids]

    extended = Categories(
        topics=plus(categories.topics, list(question.topics)),
        agencies=plus(categories.agencies, [*question.agencies, *question.referrals]),
        help=plus(categories.help, list(question.help)),
        channels=plus(categories.channels, [question.channel]),
        outcomes=plus(categories.outcomes, [question.outcome]),
    )
    return categories if extended == categories else extended


CACHE_SIZE = 1000  # (database, version, branch, library) keys; emptied whole when full
_CACHE: dict[tuple[str, int, int | None, int | None], Categories] = {}
_CACHE_LOCK = threading.Lock()


# Built once: every request asks.
_VERSION = select(TaxonomyVersion.value).where(TaxonomyVersion.id == 1)


def _version(session: AnySession) -> int:
    # on the session's connection, past the ORM's handling of a statement (which took two
    # thirds of this query's time: 4 % of an API save's CPU in all)
    return session.connection().execute(_VERSION).scalar() or 0


def bump_taxonomy(session: AnySession) -> None:
    """Raise the taxonomy version in this transaction: every worker loads the lists again."""
    changed: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(TaxonomyVersion)
        .where(TaxonomyVersion.id == 1)
        .values(value=TaxonomyVersion.value + 1)
    )
    if changed.rowcount == 0:  # a database made by create_all (tests, benchmarks)
        session.add(TaxonomyVersion(id=1, value=2))


@event.listens_for(Session, "after_flush")
def _taxonomy_changed(session: Session, _context: Any) -> None:
    """Any flushed change of a category or a desk choice raises the version with it (an
    UPDATE, or a new TaxonomyVersion row: neither is a change this listener looks for)."""
    touched = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(item, TAXONOMY_MODELS) for item in touched):
        bump_taxonomy(session)


def _load(session: AnySession, branch_id: int | None, library_id: int | None) -> Categories:
    topics = _active(session, Topic)
    agencies = [a for a in _active(session, Agency) if a.seen_by(library_id)]
    if branch_id is not None:
        topics = _for_branch(session, branch_id, "topic", topics)
        partners = [a for a in agencies if a.kind == "partner"]
        partners = _for_branch(session, branch_id, "partner", partners)
        agencies = [a for a in agencies if a.kind != "partner"] + partners
    return Categories(
        topics=topics,
        agencies=agencies,
        help=_active(session, Help),
        channels=_active(session, Channel),
        outcomes=_active(session, Outcome),
    )


def branch_selection(branch: Branch, kind: str) -> dict[int, int]:
    """{category id: position} picked for the branch's desk (empty: it shows them all)."""
    return _selection(db.session, branch.id, kind)


def _selection(session: AnySession, branch_id: int, kind: str) -> dict[int, int]:
    rows = session.execute(
        select(BranchCategory.category_id, BranchCategory.position).where(
            BranchCategory.branch_id == branch_id, BranchCategory.kind == kind
        )
    )
    return dict(rows.all())


def _for_branch(session: AnySession, branch_id: int, kind: str, items: list[_C]) -> list[_C]:
    picked = _selection(session, branch_id, kind)
    if not picked:
        return items
    # a DigiD follow-up comes along with its parent topic
    chosen = [i for i in items if i.id in picked or getattr(i, "parent_id", None) in picked]
    return sorted(
        chosen,
        key=lambda i: (
            picked.get(i.id, picked.get(cast(int, getattr(i, "parent_id", None)), 0)),
            i.position,
            i.id,
        ),
    )
