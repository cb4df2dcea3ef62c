"""JSON API v1: taxonomy, questions (idempotent POST by id), counts, and its OpenAPI document."""

import re
import uuid
from typing import Any

from flask import Blueprint, current_app, g, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from ido.api import openapi
from ido.api.body import body_to_formdata
from ido.api.shapes import (
    COUNT_PARAMETERS,
    LIST_PARAMETERS,
    UUID,
    check_branch_codes,
    question_json,
    refuse_empty,
)
from ido.core.db import db
from ido.core.exceptions import IdConflict, ParamError, ServiceError
from ido.core.models import Branch, Question
from ido.core.organisation.scope import branches_in_scope, can_see, may_change
from ido.core.questions import confirmed_by_program, delete_question, record_question
from ido.core.questions.listing import NEWEST_FIRST, QuestionFilter
from ido.core.reporting.counts import Totals, counts_and_totals
from ido.core.reporting.params import count_params, parse_date, parse_page, scoped_branches
from ido.core.taxonomy import Categories, active_categories
from ido.web.errors import error_response, refusal
from ido.web.extensions import csrf
from ido.web.forms import error_code
from ido.web.question_form import QuestionForm

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # bearer tokens need no CSRF token; session users are checked below
PAGE_SIZE = 50
BATCH_MAX = 100  # questions in one batch: a busy day's paper tally


@bp.before_request
def authenticate():
    """Every route but the OpenAPI document needs a token or a session (with CSRF header)."""
    if request.endpoint == "api.openapi_document":
        return None
    if not current_user.is_authenticated:
        return error_response(401, "_", "unauthorized", _("A valid API token is needed."))
    if (
        request.method not in ("GET", "HEAD", "OPTIONS")
        and not g.get("token_auth")
        and current_app.config["WTF_CSRF_ENABLED"]
    ):
        csrf.protect()
    return None


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI 3.1 description of this API."""
    return jsonify(openapi.document())


@bp.get("/taxonomy")
def taxonomy():
    """The branches this user may use and every active category, as codes and names."""
    cats = active_categories(library_id=current_user.library_id)  # admins: every library

    def plain(items, **extra):
        return [
            {"code": i.code, "name": i.name, **{k: f(i) for k, f in extra.items()}} for i in items
        ]

    return jsonify(
        branches=[
            {"code": b.code, "name": b.name, "municipality": b.municipality}
            for b in branches_in_scope(current_user)
        ],
        topics=plain(
            cats.topics,
            group=lambda t: t.group,
            parent=lambda t: t.parent.code if t.parent else None,
        ),
        agencies=plain(cats.agencies, kind=lambda a: a.kind, level=lambda a: a.level),
        help=plain(cats.help),
        channels=plain(cats.channels),
        outcomes=plain(cats.outcomes),
    )


def _branch(code: str | None) -> Branch:
    """The one active branch named by code, in the user's scope (ParamError otherwise)."""
    if not code:
        raise ParamError("branch", "required", _("Give the branch code."))
    check_branch_codes(code)  # one code as the document spells it: no spaces, no list
    found = scoped_branches(code, current_user)  # unknown codes and other libraries: refused
    if len(found) != 1 or not found[0].active:
        raise ParamError("branch", "unknown_code", _("No branch with code %(code)s.", code=code))
    return found[0]


def json_body() -> object:
    """The request's JSON, or None when it is not JSON (the routes answer 400)."""
    try:
        return request.get_json(force=True, silent=True)
    except RecursionError:  # nested deeper than the parser goes: no body looks like that
        return None


def _store(body: dict, lists: dict[int, Categories] | None = None) -> tuple[int, dict]:
    """Store the question of one body (idempotent by id): (201, the question), (200, the one
    stored before with this id and content), or (422, its errors). A ServiceError (a branch out
    of scope, a rule the form did not catch) is raised. `lists` keeps each branch's lists for
    the next body of a batch (once a request has written, `active_categories` reads them from
    the database again, which doubled a batch's time)."""
    formdata, errors, given = body_to_formdata(body)
    branch = _branch(body.get("branch") if isinstance(body.get("branch"), str) else None)
    lists = {} if lists is None else lists
    if branch.id not in lists:
        lists[branch.id] = active_categories(branch)
    form = QuestionForm(
        lists[branch.id],  # the topics and partners this branch's desk offers
        formdata=formdata,
        meta={"csrf": False},
        actor=current_user,
        library_id=branch.library_id,
    )
    form.confirm_early.data = confirmed_by_program(current_user)
    if not form.validate() or errors:
        for name, messages in form.errors.items():
            if name not in errors:  # a wrong type says enough; no follow-on messages
                errors[name] = [{"code": error_code(m), "message": str(m)} for m in messages]
        return 422, {"errors": errors}
    try:
        question, created = record_question(
            form.to_data(branch), current_user, form.question_id(), given
        )
    except IdConflict:
        message = _("A different question with this id already exists.")
        return 422, {"errors": {"id": [{"code": "id_conflict", "message": message}]}}
    return (201 if created else 200), question_json(question)


@bp.post("/questions")
def create_question():
    """Store a question; the same id with the same content returns the stored one (200)."""
    body = json_body()
    if not isinstance(body, dict):
        return error_response(400, "_", "bad_request", _("The body must be a JSON object."))
    status, answer = _store(body)
    return jsonify(answer), status


@bp.post("/batch/questions")
def create_questions():
    """Store several questions in one request (a desk's tally of several at once, its queue
    after an outage): each as POST /questions stores it, by its id and on its own (one refused
    changes nothing of the others). The answer lists, in order, each one's status with the
    question or the errors."""
    body = json_body()
    items = body.get("questions") if isinstance(body, dict) else None
    if (
        not isinstance(items, list)
        or not 1 <= len(items) <= BATCH_MAX
        or not all(isinstance(item, dict) for item in items)
    ):
        message = _("Give a list of 1 to %(num)s questions, each an object.", num=BATCH_MAX)
        return error_response(400, "questions", "bad_request", message)
    results: list[dict[str, Any]] = [{} for _item in items]
    lists: dict[int, Categories] = {}
    # Stored in the order of their ids, so that two batches of the same questions take their
    # locks in the same order (in opposite orders they deadlocked on PostgreSQL). No savepoint
    # per question: every refusal (the body, the branch, the form, the service's rules, an id
    # taken) comes before the question writes anything, and on SQLite a savepoint opened the
    # transaction before the first write, which then could not wait for its turn (500) and
    # committed on its own.
    for index in sorted(range(len(items)), key=lambda index: str(items[index].get("id"))):
        item = items[index]
        try:
            status, answer = _store(item, lists)
        except ServiceError as error:
            status, found = refusal(error)
            answer = {"errors": found}
        given_id = item.get("id")
        result: dict[str, Any] = {"id": given_id if isinstance(given_id, str) else None}
        result["status"] = status
        results[index] = {**result, **({"question": answer} if status < 400 else answer)}
    return jsonify(results=results)


@bp.get("/questions")
def list_questions():
    """Questions in scope, newest first, 50 a page; filter by branch and local dates."""
    refuse_empty(request.args, LIST_PARAMETERS)
    branches = (
        [_branch(request.args["branch"])]
        if request.args.get("branch")
        else branches_in_scope(current_user)
    )
    found = QuestionFilter(
        branch_ids=tuple(b.id for b in branches),
        first=parse_date(request.args.get("from"), "from"),
        last=parse_date(request.args.get("to"), "to"),
    )
    query = db.select(Question).where(*found.conditions()).order_by(*NEWEST_FIRST)
    page_number = parse_page(request.args.get("page"))
    page = db.paginate(query, page=page_number, per_page=PAGE_SIZE, error_out=False)
    return jsonify(
        questions=[question_json(q) for q in page.items],
        page=page.page,
        pages=page.pages,
        total=page.total,
    )


@bp.delete("/questions/<question_id>")
def remove_question(question_id: str):
    """Soft-delete a question, within the same rules as the desk."""
    known = re.fullmatch(UUID, question_id)  # the document's spelling only, as for POST
    question = db.session.get(Question, uuid.UUID(question_id)) if known else None
    if question is None or not can_see(current_user, question):
        return error_response(404, "id", "not_found", _("No such question."))
    if not may_change(current_user, question):
        return error_response(
            403, "id", "forbidden", _("This question can no longer be changed by you.")
        )
    delete_question(question, current_user)
    return "", 204


def _totals(totals: dict, row) -> dict:
    found = totals.get((row.month, row.branch.id), Totals())
    return {"questions": found.questions, "minutes": found.minutes}


@bp.get("/counts")
def counts():
    """Visitors per month, branch and category, as rows; `by=total` also gives the questions
    and the minutes of help."""
    refuse_empty(request.args, COUNT_PARAMETERS)
    check_branch_codes(request.args.get("branch"), several=True)
    params = count_params(request.args, current_user)
    rows, totals = counts_and_totals(params.first, params.last, params.by, params.branches)
    return jsonify(
        rows=[
            {
                "month": row.month.strftime("%Y-%m"),
                "branch": row.branch.code,
                "key": row.key.code if row.key else None,
                "count": row.count,
                **(_totals(totals, row) if totals is not None else {}),
            }
            for row in rows
        ]
    )
