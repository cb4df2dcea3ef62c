"""Small helpers shared by the tests."""

from ido.extensions import db
from ido.models import AuditEvent, Branch, Question, User

from .conftest import form_fields


def desk_form(client) -> dict:
    """What the desk form submits when a volunteer only picks a topic (all defaults kept)."""
    response = client.get("/desk/")
    assert response.status_code == 200, response.status_code
    return form_fields(response.get_data(as_text=True), "/desk/")


def questions(include_deleted: bool = False) -> list[Question]:
    query = db.select(Question).order_by(Question.created_at)
    if not include_deleted:
        query = query.where(Question.deleted_at.is_(None))
    return list(db.session.scalars(query))


def audit(action: str | None = None) -> list[AuditEvent]:
    query = db.select(AuditEvent).where(AuditEvent.entity == "question").order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))


def branch(code: str) -> Branch:
    return db.session.scalar(db.select(Branch).where(Branch.code == code))


def user(email: str) -> User:
    return db.session.scalar(db.select(User).where(User.email == email))


def codes(items) -> list[str]:
    return sorted(item.code for item in items)
