"""A demo library with three branches and a year of realistic questions, for trying the app."""

import math
import random
import uuid
from datetime import datetime, time, timedelta
from typing import Any

from ido.core.activities import (
    ActivityData,
    Rule,
    activity_kinds,
    record_attendance,
    save_activity,
)
from ido.core.db import db
from ido.core.models import (
    LINKS,
    Agency,
    Branch,
    Library,
    Link,
    User,
    joined_codes,
)
from ido.core.organisation import (
    convenant_years_offered,
    create_branch,
    create_library,
    create_user,
    update_branch,
)
from ido.core.questions import insert_questions
from ido.core.taxonomy import Categories, active_categories
from ido.core.timeutil import LOCAL_TZ, local_columns, now_local

DEMO_PASSWORD = "demo-wachtwoord"
# how often each channel and outcome comes up in the demo (any other: rarely)
CHANNEL_WEIGHTS = {"balie": 80, "telefoon": 10, "email": 3, "afspraak": 7, "online": 2}
OUTCOME_WEIGHTS = {"geholpen": 85, "vervolg": 10, "niet_geholpen": 5}
DEMO_USERS = [
    ("coordinator@demo.example", "Coördinator Demo", "coordinator", ()),
    ("vrijwilliger@demo.example", "Vrijwilliger Centrum", "volunteer", ("demo-centrum",)),
    (
        "invaller@demo.example",
        "Vrijwilliger Noord en Meerwijk",
        "volunteer",
        ("demo-noord", "demo-meerwijk"),
    ),
]
# How often topics come up at a typical IDO desk: DigiD first, then devices and the municipality.
TOPIC_WEIGHTS = {
    "digid": 30,
    "apparaat": 16,
    "gemeente": 12,
    "toeslagen": 9,
    "belastingaangifte": 8,
    "mijnoverheid": 7,
    "zorg": 5,
    "aow_pensioen": 4,
    "werk_uitkering": 3,
    "rijbewijs": 3,
    "boetes": 2,
    "studie": 1,
    "bibliotheek": 3,
    "overig": 2,
}
TOPIC_AGENCY = {
    "toeslagen": "toeslagen",
    "belastingaangifte": "belastingdienst",
    "zorg": "cak",
    "aow_pensioen": "svb",
    "werk_uitkering": "uwv",
    "rijbewijs": "cbr",
    "boetes": "cjib",
    "studie": "duo",
    "gemeente": "gemeente",
    "digid": "logius",
}
HOURS = [10, 10, 11, 11, 11, 12, 13, 14, 14, 15, 15, 16]


def seed_demo(days: int = 365, per_day: float = 3.5, seed: int = 2026) -> bool:
    """Create the demo library once; returns False when it already exists."""
    if db.session.scalar(db.select(Library).where(Library.code == "demo")):
        return False
    create_library("demo", "Demobibliotheek Rivierland")
    create_branch("demo-centrum", "Centrale Bibliotheek", "demo", "Rivierstad")
    create_branch("demo-noord", "Bibliotheek Noord", "demo", "Rivierstad")
    create_branch("demo-meerwijk", "Dorpshuis Meerwijk", "demo", "Meerwijk", in_library=False)
    users = [
        create_user(email, name, role, DEMO_PASSWORD, "demo", branches)
        for email, name, role, branches in DEMO_USERS
    ]
    _seed_questions(users, days, per_day, random.Random(seed))
    _seed_activities(random.Random(seed))
    # Noord takes part in the convenant since it began, Meerwijk and Centrum this year (Centrum
    # has planned nothing for it yet: the report marks it short)
    so_far = [year for year in convenant_years_offered() if year <= now_local().year]
    for code, years in (
        ("demo-noord", so_far),
        ("demo-meerwijk", so_far[-1:]),
        ("demo-centrum", so_far[-1:]),
    ):
        found = db.session.scalar(db.select(Branch).where(Branch.code == code))
        update_branch(
            found, found.name, found.municipality, found.in_library, True, convenant_years=years
        )
    return True


def _seed_activities(rng: random.Random) -> None:
    """A weekly IDO spreekuur, a partner's belastinghulp in odd weeks, an aangiftedag and a
    monthly online course; the people counted at each past session but the latest, which
    waits on the desk's tile."""
    today = now_local().date()
    start = today - timedelta(weeks=12)
    by_code = {k.code: k for k in activity_kinds()}
    partner = db.session.scalar(db.select(Agency).where(Agency.code == "belastinghulp"))
    plans = [
        (
            "demo-centrum",
            "ido_spreekuur",
            None,
            Rule("weekly", start, today + timedelta(weeks=12)),
            False,
            "in_person",
        ),
        (
            "demo-noord",
            "belastinghulp",
            partner,
            Rule("odd_weeks", start, today + timedelta(weeks=8)),
            True,
            "in_person",
        ),
        (
            "demo-meerwijk",
            "aangiftedag",
            None,
            Rule("once", today - timedelta(days=30)),
            True,
            "in_person",
        ),
        (
            "demo-centrum",
            "klik_en_tik",
            None,
            Rule("monthly", start, today + timedelta(weeks=20), nth=1),
            False,
            "online",
        ),
    ]
    for code, kind, by, rule, convenant, form in plans:
        branch = db.session.scalar(db.select(Branch).where(Branch.code == code))
        data = ActivityData(
            branch,
            by_code[kind],
            rule,
            time(10),
            time(12),
            partner=by,
            convenant=convenant,
            form=form,
        )
        past = [s for s in save_activity(data, None).sessions if s.day < today]
        for session in past[:-1] if code == "demo-centrum" and kind == "ido_spreekuur" else past:
            record_attendance(session, rng.randint(2, 25 if kind == "aangiftedag" else 9), None)


def _seed_questions(users: list[User], days: int, per_day: float, rng: random.Random) -> None:
    cats = active_categories()
    topics, agencies = cats.by_code("topics"), cats.by_code("agencies")
    branches = {b.code: b for u in users for b in u.branches}
    followups = [t for t in cats.topics if t.parent is not None]
    rows: list[dict[str, Any]] = []
    links: list[dict[Link, list[int]]] = []  # each row's category ids per link
    today = now_local().date()
    for offset in range(days, 0, -1):
        day = today - timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for code, branch in branches.items():
            volume = per_day * (0.5 if code == "demo-meerwijk" else 1.0)
            for _ in range(_poisson(rng, volume)):
                at = datetime(
                    day.year,
                    day.month,
                    day.day,
                    rng.choice(HOURS),
                    rng.randrange(60),
                    tzinfo=LOCAL_TZ,
                )
                row = _question_row(rng, branch, at, users, cats)
                rows.append(row)
                topic = topics[rng.choices(list(TOPIC_WEIGHTS), list(TOPIC_WEIGHTS.values()))[0]]
                chosen = {"topics": {topic}, "agencies": set(), "referrals": set()}
                if topic.code == "digid" and rng.random() < 0.7:
                    chosen["topics"].add(rng.choice(followups))
                if rng.random() < 0.12:
                    chosen["topics"].add(topics["mijnoverheid"])
                if TOPIC_AGENCY.get(topic.code):
                    chosen["agencies"].add(agencies[TOPIC_AGENCY[topic.code]])
                if rng.random() < 0.15:
                    chosen["referrals"].add(
                        agencies[
                            rng.choice(
                                [
                                    "uwv",
                                    "svb",
                                    "belastingdienst",
                                    "toeslagen",
                                    "juridisch_loket",
                                    "schuldhulp",
                                    "digicursus",
                                ]
                            )
                        ]
                    )
                chosen["help"] = {rng.choice(cats.help[:2])}
                for link in LINKS:  # the question's code copies; insert_questions its links
                    row[link.column] = joined_codes(chosen[link.relation])
                links.append({link: [i.id for i in chosen[link.relation]] for link in LINKS})
    insert_questions(rows, links)
    db.session.flush()


def _question_row(
    rng: random.Random, branch: Branch, at: datetime, users: list[User], cats: Categories
) -> dict[str, Any]:
    logger = rng.choice([u for u in users if branch in u.branches])
    outcome = rng.choices(cats.outcomes, [OUTCOME_WEIGHTS.get(o.code, 1) for o in cats.outcomes])[0]
    channel = rng.choices(cats.channels, [CHANNEL_WEIGHTS.get(c.code, 1) for c in cats.channels])[0]
    return {
        "id": uuid.uuid4(),
        "branch_id": branch.id,
        "asked_at": at,
        **local_columns(at),
        "logged_by_id": logger.id,
        "channel_id": channel.id,
        "outcome_id": outcome.id,
        "duration_minutes": rng.choice([5, 10, 10, 10, 15, 15, 30, 45]),
        "note": None,
        "created_at": at,
        "updated_at": at,
    }


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson-distributed count (Knuth's method is exact and fast for small means)."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count
