"""Many desks at once against a real multi-process server (gunicorn, as in production)."""

import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from ido.core.db import db
from ido.core.organisation.tokens import create_token

from .conftest import gunicorn_serving
from .helpers import post_question, questions, user


@pytest.fixture(scope="module")
def database_url(databases):
    """One database for this module, served by one gunicorn: neither test reads what the
    other writes (one stores questions of its own, the other renames a topic)."""
    url = databases.copy("org")
    yield url
    databases.drop(url)


@pytest.fixture(scope="module")
def gunicorn_url(database_url):
    with gunicorn_serving(database_url) as url:
        yield url


def test_identical_saves_from_many_desks_at_once_are_stored_once(gunicorn_url, app):
    """40 questions, each sent 8 times at once (a desk retrying over bad Wi-Fi) to 2 worker
    processes: every copy is answered 201 or 200, none 500, and each question is stored once."""
    with app.app_context():
        token = create_token(user("vol@a.example"), "desk")[1]
        db.session.commit()
    ids = [str(uuid.uuid4()) for _ in range(40)]

    def post(question_id: str) -> int:
        return post_question(gunicorn_url, token, question_id, note="app kwijt")

    with ThreadPoolExecutor(32) as pool:
        answers = Counter(pool.map(post, [i for i in ids for _ in range(8)]))
    assert answers == {201: 40, 200: 280}
    with app.app_context():
        assert sorted(str(q.id) for q in questions()) == sorted(ids)


@pytest.mark.once
@pytest.mark.untraced  # a gunicorn server; the client alone runs here
def test_a_renamed_topic_reaches_every_worker_on_its_next_request(gunicorn_url, app):
    """Each worker process keeps the reference lists it loaded; an administrator's change
    raises the taxonomy version, so every worker shows the new name on its next page."""
    import re
    import urllib.request

    from ido.core.models import Topic
    from ido.core.taxonomy import save_category

    def api_taxonomy() -> list[str]:
        request = urllib.request.Request(
            f"{gunicorn_url}/api/v1/taxonomy", headers={"Authorization": f"Bearer {token}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return re.findall(r'"name": ?"(Toeslagen[^"]*)"', response.read().decode())

    with app.app_context():
        token = create_token(user("vol@a.example"), "desk")[1]
        db.session.commit()
    with ThreadPoolExecutor(16) as pool:  # every worker loads and keeps the lists
        assert all(
            names == ["Toeslagen"] for names in pool.map(lambda _: api_taxonomy(), range(32))
        )
    with app.app_context():
        topic = db.session.scalar(db.select(Topic).where(Topic.code == "toeslagen"))
        save_category("topic", topic, {"name_nl": "Toeslagen en huur"}, None)
        db.session.commit()
    with ThreadPoolExecutor(16) as pool:
        seen = list(pool.map(lambda _: api_taxonomy(), range(32)))
    assert all(names == ["Toeslagen en huur"] for names in seen), seen
