"""One description of the API's input: the body is checked against the very schema the
OpenAPI document publishes, and what it refuses is answered per field with `invalid`."""

import pytest

from ido.api.body import body_to_formdata
from ido.core.db import db
from ido.core.organisation.tokens import create_token

from .api_client import Api
from .helpers import questions, user


@pytest.mark.once
def test_the_body_is_checked_against_the_published_schema(app):
    published = app.test_client().get("/api/v1/openapi.json").get_json()
    schema = published["components"]["schemas"]["QuestionInput"]
    from ido.api.body import _validator

    assert _validator().schema == schema


@pytest.mark.once
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("topics", "digid"),
        ("topics", [1]),
        ("agencies", {"a": 1}),
        ("referrals", [None]),
        ("help", 3),
        ("channel", 5),
        ("channel", "Aan de balie"),  # not spelled as a code
        ("outcome", ["geholpen"]),
        ("duration_minutes", "10"),
        ("duration_minutes", True),
        ("duration_minutes", 10.5),
        ("note", 12),
        ("id", "niet-een-uuid"),
        ("asked_at", "gisteren"),
        ("branch", 7),
    ],
)
def test_a_wrong_shape_is_refused_at_its_field(app, field, value):
    with app.test_request_context():
        _data, errors, _given = body_to_formdata(
            {"branch": "a1", "topics": ["digid"], field: value}
        )
    assert list(errors) == [field]
    assert errors[field][0]["code"] == "invalid" and errors[field][0]["message"]


@pytest.mark.once
def test_what_the_form_answers_is_left_to_the_form(app):
    """A missing topic, a duration out of range, a long note or one with a control character
    get the form's own codes; null is as if left out; 10.0 is a whole number."""
    body = {
        "branch": "a1",
        "topics": [],
        "duration_minutes": 10.0,
        "note": "x" * 600,
        "channel": None,
        "created_at": "ignored",
    }
    with app.test_request_context():
        data, errors, given = body_to_formdata(body)
    assert errors == {}
    assert given == {"branch", "topics", "duration_minutes", "note"}
    assert data["duration_minutes"] == "10" and data["channel"] == "balie"


def test_a_refused_body_stores_nothing(org, app, client):
    with app.app_context():
        token = create_token(user("vol@a.example"), "t")[1]
        db.session.commit()
    answer = Api(client, token).post(
        "/api/v1/questions", json={"branch": "a1", "topics": ["digid"], "help": "uitleg"}
    )
    assert answer.status_code == 422
    assert answer.get_json()["errors"]["help"][0]["code"] == "invalid"
    with app.app_context():
        assert questions() == []
