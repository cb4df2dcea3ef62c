"""Many desks at once against a real multi-process server (gunicorn, as in production)."""

import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from ido.core.db import db
from ido.core.tokens import create_token

from .helpers import post_question, questions, user


def test_identical_saves_from_many_desks_at_once_are_stored_once(gunicorn_url, app):
    """40 questions, each sent 8 times at once (a desk retrying over bad Wi-Fi) to 4 worker
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
