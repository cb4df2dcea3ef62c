"""Schemathesis holds the server to /api/v1/openapi.json, on both databases.

It runs as `schemathesis run` would (its engine, in process): the coverage phase (every
parameter at its bounds and just past them, empty, missing, of the wrong type; the methods
the document does not list), the fuzzing phase, each with valid and with invalid data, and the
stateful phase (a question posted, then deleted by the link in the answer); with all its
checks: no 5xx; status, content type, headers and body as documented; what the document
allows is accepted and what it does not allow is refused; an unlisted method gets 405 with
Allow; no token or a wrong one gets 401. Besides: a refusal leaves the database as it was.

The document gives a code's spelling, not which codes exist, and a moment's spelling, not
the days this token may log. So a well-formed code that names nothing is replaced by one
that exists, and a well-formed moment outside the token's days by one inside them, in valid
and invalid data alike (then an invalid request is refused for what made it invalid). Valid
data may still be refused for the reasons the document names: personal data in a note, an id
used before (the stateful phase sends ids from earlier answers), 'from' after 'to' or a period
too long.
"""

import os
import re
import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta

import pytest
import schemathesis
from schemathesis import engine
from schemathesis.engine import events
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.specs.openapi.checks import ignored_auth

from ido.api.shapes import CODE, UUID, moment_spelling
from ido.core.db import db
from ido.core.models import AuditEvent, Question
from ido.core.organisation.tokens import create_token
from ido.core.reporting.params import MAX_MONTHS, parse_month
from ido.core.timeutil import months_between, now_local, start_of_month

from .api_client import Api
from .helpers import user

# thousands of requests; untraced: the tracer made them four times slower, and each line they
# reach has a direct test (tests/test_api.py, tests/test_api_body.py)
pytestmark = [pytest.mark.slow, pytest.mark.untraced]
CODE_FIELDS = {"branch": "branches", "channel": "channels", "outcome": "outcomes"}
CODES_FIELDS = {"topics": "topics", "agencies": "agencies", "referrals": "agencies", "help": "help"}
# The fuzzing phase's examples per operation: the SQLite pass fuzzes the server's logic; the
# PostgreSQL pass, which runs beside it, is there for what the database itself refuses (every
# bound and wrong type of the coverage phase, which takes no count, runs in both).
EXAMPLES = 12 if os.environ.get("IDO_TEST_DB") == "postgresql" else 30


def _config(token: str) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            # the in-process transport passes Accept-Encoding on but does not decode
            "headers": {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"},
            # ignored_auth fails inside schemathesis 4.32.5 with a WSGI app (it hands
            # `max_redirects` to Werkzeug): it runs on its own, _check_auth
            "checks": {"enabled": True, "ignored_auth": {"enabled": False}},
            "generation": {"mode": "all", "max-examples": EXAMPLES, "deterministic": True},
            # POST, then DELETE by the link in the answer: a few scenarios say enough
            "phases": {"stateful": {"generation": {"max-examples": 10}}},
            "suppress-health-check": ["all"],
        }
    )


class Known:
    """The codes this token may use and the moments it may log, put in place of well-formed
    values that name nothing (a value of another spelling is left for the server to refuse)."""

    def __init__(self, taxonomy: dict, backdate_months: int) -> None:
        self.codes = {key: [item["code"] for item in items] for key, items in taxonomy.items()}
        self.earliest = start_of_month(backdate_months)

    def code(self, value, kind: str):
        known = self.codes[kind]
        if isinstance(value, str) and re.fullmatch(CODE, value) and value not in known:
            return known[len(value) % len(known)]
        return value

    def moment(self, value):
        if not isinstance(value, str) or not re.fullmatch(moment_spelling(), value):
            return value
        now = now_local()
        try:
            if "T" not in value:
                ok = self.earliest.date() <= date.fromisoformat(value) <= now.date()
                return value if ok else now.date().isoformat()
            ok = self.earliest <= datetime.fromisoformat(value) <= now
        except ValueError:
            return value  # no such day: refused, as the document says (format)
        return value if ok else now.isoformat(timespec="seconds")

    def steer(self, case):
        """The request with known codes and moments, and a question id of its own (as a
        client makes one per question; the coverage phase would send one id with all)."""
        body = case.body
        if case.operation.path == "/questions" and isinstance(body, dict):
            for field in body.keys() & CODE_FIELDS.keys():
                body[field] = self.code(body[field], CODE_FIELDS[field])
            for field in body.keys() & CODES_FIELDS.keys():
                if isinstance(body[field], list):
                    body[field] = [self.code(item, CODES_FIELDS[field]) for item in body[field]]
            if "asked_at" in body:
                body["asked_at"] = self.moment(body["asked_at"])
            if isinstance(body.get("id"), str) and re.fullmatch(UUID, body["id"]):
                body["id"] = str(uuid.uuid4())
        if isinstance(case.query, dict) and isinstance(case.query.get("branch"), str):
            codes = case.query["branch"].split(",")
            case.query["branch"] = ",".join(self.code(item, "branches") for item in codes)
        return case


def _refused_as_documented(case, response) -> bool:
    """Valid data refused for a reason the document names."""
    if response.status_code != 422:
        return False
    errors = response.json()["errors"]
    codes = {field: {e["code"] for e in found} for field, found in errors.items()}
    if codes == {"note": {"personal_data"}}:
        return True
    if codes == {"referrals": {"referral_required"}}:  # an appointment made with nobody
        return case.body.get("outcome") == "afspraak" and not case.body.get("referrals")
    if codes == {"id": {"id_conflict"}}:  # the stateful phase sends ids from earlier answers
        return db.session.get(Question, uuid.UUID(case.body["id"])) is not None
    if case.operation.path == "/counts" and set(errors) == {"from"}:
        first = parse_month(case.query.get("from"), "from")
        last = parse_month(case.query.get("to"), "to") or now_local().date().replace(day=1)
        return first is not None and (first > last or len(months_between(first, last)) > MAX_MONTHS)
    if case.operation.path == "/sessions" and set(errors) == {"from"}:  # over a year, or back
        today = now_local().date()
        first = date.fromisoformat(case.query.get("from") or (today - timedelta(7)).isoformat())
        last = date.fromisoformat(case.query.get("to") or (today + timedelta(7)).isoformat())
        return first > last or (last - first).days >= 366
    if case.operation.path == "/sessions/{id}/attendance":  # a session to come, or cancelled
        return codes == {"count": {"future"}} or codes == {"count": {"cancelled"}}
    return False


def _failure(phase, name, case, response, title) -> str:
    answer = f"{response.status_code} {response.content[:300]!r}" if response else "no answer"
    body = f" {case.body!r:.500}" if isinstance(case.body, (dict, list, str)) else ""
    request = f"{case.method} {case.formatted_path} {case.query}{body}"
    return f"{phase} {name}, {title}: {answer} to {request}"


def _run(schema, app, known: Known) -> tuple[list[str], dict[tuple[str, str], set[int]]]:
    """Every phase and check; the failures, and the statuses answered per operation."""

    def stored():
        with app.app_context():
            count = db.func.count
            return db.session.execute(
                db.select(db.select(count(Question.id)).scalar_subquery(), count(AuditEvent.id))
            ).one()

    before, failures, answers = [stored()], [], defaultdict(set)

    @schema.hook
    def map_case(context, case):
        return known.steer(case)

    @schema.hook
    def after_call(context, case, response):
        answers[(case.method, case.operation.path)] |= {response.status_code}
        if case.method in ("GET", "HEAD", "OPTIONS"):
            return  # no handler of these writes (a third of the run's time on PostgreSQL)
        after = stored()
        if response.status_code >= 400 and after != before[0]:
            failures.append(_failure("-", "-", case, response, "a refusal changed the database"))
        before[0] = after

    @schema.hook
    def filter_failure(context, failure, case, response):
        with app.app_context():
            documented = _refused_as_documented(case, response)
        return not (isinstance(failure, RejectedPositiveData) and documented)

    for event in engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            for case_id, checks in event.recorder.checks.items():
                for check in (c for c in checks if c.failure_info is not None):
                    case = event.recorder.cases[case_id].value
                    response = event.recorder.interactions[case_id].response
                    title = check.failure_info.failure.title
                    failures.append(_failure(event.phase, check.name, case, response, title))
        elif isinstance(event, (events.NonFatalError, events.FatalError)):
            failures.append(f"schemathesis error: {getattr(event, 'value', event)!r}")
    return failures, answers


def _check_auth(schema, token: str) -> None:
    """What a token may do is refused without one, or with a wrong one (ignored_auth)."""
    headers = {"Authorization": f"Bearer {token}"}
    body = {"branch": "a1", "topics": ["digid"]}
    for path, method, values in [
        ("/taxonomy", "GET", {}),
        ("/questions", "GET", {}),
        ("/counts", "GET", {}),
        ("/questions", "POST", {"body": body}),
    ]:
        case = schema[path][method].Case(**values)
        response = case.call_and_validate(headers=headers, checks=[ignored_auth])
    stored = {"id": response.json()["id"]}
    case = schema["/questions/{id}"]["DELETE"].Case(path_parameters=stored)
    case.call_and_validate(headers=headers, checks=[ignored_auth])


def test_api_keeps_to_its_openapi_document(counted, client):
    org = counted  # questions to count, list and delete, in branches of the token's user
    with org.app_context():
        token = create_token(user("vol2@a.example"), "fuzz")[1]
        db.session.commit()
    taxonomy = Api(client, token).get("/api/v1/taxonomy").get_json()
    known = Known(taxonomy, org.config["IDO_BACKDATE_MONTHS"])
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", org, config=_config(token))
    failures, answers = _run(schema, org, known)
    assert not failures, "\n".join(dict.fromkeys(failures))
    # every operation took valid data and refused invalid data; unlisted methods got 405
    assert {201, 400, 422} <= answers[("POST", "/questions")]
    assert {200, 422} <= answers[("GET", "/questions")] & answers[("GET", "/counts")]
    assert {204, 404} <= answers[("DELETE", "/questions/{id}")]
    assert answers[("TRACE", "/taxonomy")] == answers[("PUT", "/questions/{id}")] == {405}
    _check_auth(schema, token)
