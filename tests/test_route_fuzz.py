"""Every route of the URL map, with absurd path parts, query strings and form or JSON bodies
drawn by Hypothesis, as every role: never a 5xx (on SQLite and on PostgreSQL)."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import Auth

pytestmark = pytest.mark.slow  # hundreds of requests
ROLES = [None, "vol@a.example", "coord@a.example", "coord@b.example", "admin@ido.example"]
NASTY = [
    "",
    "0",
    "-1",
    "1",
    "2",
    "99999999999999999999",
    "²",
    "９",
    "\x00",
    "a\x00b",
    "\x07",
    "9999-12",
    "0001-01",
    "2026-13",
    "2026-02-30",
    "1-1",
    "2026-01",
    "2026-01-15",
    "a1",
    "lib-a",
    "digid",
    "x" * 300,
    "' OR 1=1 --",
    "<script>",
    "%",
    "../..",
    "\r\n",
    "NL91ABNA0417164300",
    "2026-01-01T10:00:00+01:00",
    "0001-01-01T00:00",
    "true",
    "null",
]
TEXT = st.one_of(
    st.sampled_from(NASTY), st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
)
FIELDS = [
    "topics",
    "agencies",
    "referrals",
    "help",
    "channel",
    "outcome",
    "duration_minutes",
    "asked_at",
    "note",
    "id",
    "email",
    "password",
    "current",
    "name",
    "code",
    "municipality",
    "role",
    "branches",
    "branch",
    "active",
    "library",
    "kind",
    "name_nl",
    "name_en",
    "position",
    "parent",
    "group",
    "hint_nl",
    "hint_en",
    "lang",
    "next",
    "topic",
    "in_library",
    "all-topic",
    "topic-digid",
    "topic-digid-order",
    "partner-taalhuis",
    "partner-taalhuis-order",
]
PARAMS = [
    "from",
    "to",
    "branch",
    "month",
    "page",
    "by",
    "dialect",
    "notes",
    "entity",
    "action",
    "municipality",
    "next",
]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
QUESTION_FIELDS = FIELDS[:10]  # the question's own fields, as in the API's body
QUESTION_JSON = st.fixed_dictionaries(
    {}, optional={name: JSON for name in ["branch", *QUESTION_FIELDS]}
)


def _routes(app) -> list[tuple[str, str]]:
    """(method, path pattern) of every route but the static files."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((method, rule.rule))
    return found


def test_no_route_answers_with_a_server_error(org):
    app = org
    routes = _routes(app)
    part = st.one_of(
        st.sampled_from(NASTY[:9]),
        st.integers(-5, 10**20).map(str),
        st.uuids().map(str),
        st.sampled_from(["taalhuis", "agency", "topic"]),
    )
    failures: list[str] = []

    @settings(
        max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(route=st.sampled_from(routes), role=st.sampled_from(ROLES), data=st.data())
    def exercise(route, role, data):
        method, pattern = route
        path = re.sub(r"<(?:[a-z]+:)?[a-z_]+>", lambda _m: data.draw(part), pattern)
        query = data.draw(st.dictionaries(st.sampled_from(PARAMS), TEXT, max_size=3))
        client = app.test_client()
        if role:
            Auth(client).login(role)
        if method == "GET":
            response = client.get(path, query_string=query)
        elif pattern.startswith("/api/"):
            body = data.draw(st.one_of(QUESTION_JSON, JSON))
            response = client.open(path, method=method, json=body, query_string=query)
        else:
            form = data.draw(st.dictionaries(st.sampled_from(FIELDS), TEXT, max_size=8))
            response = client.open(path, method=method, data=form, query_string=query)
        response.close()
        if response.status_code >= 500:
            failures.append(f"{method} {path} {query} as {role}: {response.status_code}")

    exercise()
    assert failures == []
