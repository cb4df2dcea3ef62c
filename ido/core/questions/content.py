"""What a question holds, as the service compares and audits it: the chosen categories with
their parents, the note as stored, a snapshot for the audit trail (which never keeps a note's
text)."""

from collections.abc import Iterable, Sequence
from datetime import UTC
from typing import Any, cast

from ido.core.models import (
    LINKS,
    Category,
    Link,
    Question,
    Topic,
)
from ido.core.questions.rules import QuestionData
from ido.core.timeutil import LOCAL_TZ


def with_parents(topics: list[Topic]) -> list[Topic]:
    """The topics plus the parent of each follow-up (a DigiD follow-up implies DigiD)."""
    result = list(dict.fromkeys(topics))
    for topic in topics:  # by parent_id first: a parent (even an inactive one) loads nothing
        if topic.parent_id is not None and topic.parent not in result:
            result.append(cast(Topic, topic.parent))
    return result


def _chosen(data: QuestionData) -> dict[Link, list[Category]]:
    """The categories of each link, without repeats (a follow-up brings its parent along)."""
    lists: dict[str, Sequence[Category]] = {
        "topics": with_parents(data.topics),
        "agencies": data.agencies,
        "referrals": data.referrals,
        "help": data.help,
    }
    return {link: list(dict.fromkeys(lists[link.relation])) for link in LINKS}


def _codes(items: Iterable[Category]) -> list[str]:
    return sorted(item.code for item in items)


def clean_note(note: str | None) -> str | None:
    """A note as it is stored: trimmed, line breaks as \\n (a browser sends \\r\\n), None when
    empty; so that a note sent again compares equal."""
    return (note or "").replace("\r\n", "\n").replace("\r", "\n").strip() or None


def _moment_text(source: Question | QuestionData) -> str | None:
    """The moment as the audit trail and comparisons see it: in UTC (the same moment typed in
    Amsterdam time is no change), or only its Amsterdam day when the time is not known."""
    if source.asked_at is None:
        return None
    time_known = (
        source.local_hour is not None if isinstance(source, Question) else source.time_known
    )
    if not time_known:
        return source.asked_at.astimezone(LOCAL_TZ).date().isoformat()
    return source.asked_at.astimezone(UTC).isoformat()


def snapshot(source: Question | QuestionData) -> dict[str, Any]:
    """The content of a question as plain values, for comparing and for the audit trail."""
    asked_at = _moment_text(source)
    return {
        "branch": source.branch.code,
        "asked_at": asked_at,
        "topics": _codes(with_parents(source.topics)),
        "agencies": _codes(source.agencies),
        "referrals": _codes(source.referrals),
        "help": _codes(source.help),
        "channel": source.channel.code,
        "outcome": source.outcome.code,
        "duration_minutes": source.duration_minutes,
        "note": clean_note(source.note),  # as stored: a resend compares equal
    }


NOTE_GIVEN, NOTE_CHANGED = "given", "changed"  # all the audit trail says of a note


def audited(content: dict[str, Any]) -> dict[str, Any]:
    """A snapshot as the audit trail keeps it: whether there was a note, never its text
    (notes are emptied after a while, and must leave no copy behind)."""
    return {**content, "note": NOTE_GIVEN if content.get("note") else None}


def _same_content(question: Question, data: QuestionData, fields: set[str] | None) -> bool:
    given = {
        k: v
        for k, v in snapshot(data).items()
        if (fields is None or k in fields or k == "branch") and not (k == "asked_at" and v is None)
    }
    stored = snapshot(question)
    return all(stored[key] == value for key, value in given.items())
