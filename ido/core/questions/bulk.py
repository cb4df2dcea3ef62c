"""Questions written straight into the tables, many at once (the demo, a library moved in from
another instance, the benchmarks' data), each with its link rows whole, as the question service
writes one. The caller fills the question rows, their code copies included."""

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import insert

from ido.core.db import db
from ido.core.models import LINKS, Link, Question, link_rows


def insert_questions(
    rows: Sequence[dict[str, Any]], chosen: Sequence[Mapping[Link, Sequence[int]]]
) -> list[int]:
    """Insert these question rows, then their link rows: `chosen[n]` holds the category ids of
    `rows[n]` per link. Link rows name a question by the key the database gives it at INSERT,
    so the two are written here together. Returns the keys, in the order of the rows."""
    if not rows:
        return []
    statement = insert(Question).returning(Question.key, sort_by_parameter_order=True)
    keys = list(db.session.scalars(statement, rows))
    for link in LINKS:
        values = [
            value
            for key, row, links in zip(keys, rows, chosen, strict=True)
            for value in link_rows(
                link,
                key,
                links.get(link, ()),
                row["local_month"],
                row["branch_id"],
                counted=row.get("deleted_at") is None,
            )
        ]
        if values:
            db.session.execute(insert(link.table), values)
    return keys
