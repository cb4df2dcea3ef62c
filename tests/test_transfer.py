"""Moving one library between instances: export-library and import-library.

The demo library (seed-demo, with a local partner, a desk choice, a tablet, questions logged,
changed and deleted, an administrator's edit, a national-form version, its own contact details
of partners, and activities with a session cancelled, one moved and one counted) is built once on
SQLite and exported once. The round trip takes it to the pass's database (PostgreSQL in the
PostgreSQL pass) and back to SQLite, and compares everything; each refusal leaves every table
of the target as it was.
"""

import gzip
import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ido import create_app
from ido.core.activities import (
    ActivityData,
    Rule,
    cancel_session,
    move_session,
    record_attendance,
    save_activity,
)
from ido.core.db import db
from ido.core.demo import seed_demo
from ido.core.models import (
    LINKS,
    Activity,
    ActivityKind,
    ActivitySession,
    Agency,
    AgencyContact,
    AuditEvent,
    Branch,
    BranchCategory,
    DeskDevice,
    Library,
    NationalForm,
    Question,
    Topic,
    User,
)
from ido.core.organisation import create_user
from ido.core.organisation.devices import enrol_device
from ido.core.questions import delete_question, record_question, update_question
from ido.core.questions.rules import QuestionData
from ido.core.reporting.counts import DIMENSIONS, counts_and_totals
from ido.core.reporting.national_form import default_mapping, ensure_first_version, save_version
from ido.core.taxonomy import active_categories, save_branch_desk, save_category, seed_categories
from ido.core.taxonomy.contacts import save_contact
from ido.core.timeutil import now_local
from ido.core.transfer import FORMAT, VERSION, export, export_library, rows
from ido.core.transfer import activities as transfer_activities
from ido.core.transfer.files import TransferError, records, write
from ido.core.transfer.schema import ORDER

from .conftest import dispose, make_config

pytestmark = pytest.mark.dialect  # the import's SQL runs on PostgreSQL in that pass


def _app(url: str):
    return create_app(make_config(url))


def _empty_instance(url: str):
    """An instance as init-db leaves it: the schema and the default categories."""
    app = _app(url)
    with app.app_context():
        db.create_all()
        seed_categories()
        db.session.commit()
        ensure_first_version()
    return app


def _data(branch_code: str, topics: list[str], at: datetime, note=None, referrals=()):
    cats = active_categories()
    agencies = {a.code: a for a in db.session.scalars(select(Agency))}
    return QuestionData(
        branch=db.session.scalar(select(Branch).where(Branch.code == branch_code)),
        topics=[cats.by_code("topics")[code] for code in topics],
        channel=cats.by_code("channels")["telefoon"],
        outcome=cats.outcomes[0],
        duration_minutes=20,
        asked_at=at,
        referrals=[agencies[code] for code in referrals],
        help=[cats.help[0]],
        note=note,
    )


def _enrich_demo() -> None:
    """What seed-demo leaves out: a local partner on a desk, a tablet, a question logged,
    changed and deleted, an administrator's change, a version of the national form."""
    coordinator = db.session.scalar(select(User).where(User.email == "coordinator@demo.example"))
    library = coordinator.library
    partner = save_category(
        "agency",
        None,
        {
            "code": "taalhuis-rivier",
            "name_nl": "Taalhuis Rivierstad",
            "name_en": "Language house",
            "kind": "partner",
            "library_id": library.id,
        },
        library.id,
        coordinator,
    )
    centrum = db.session.scalar(select(Branch).where(Branch.code == "demo-centrum"))
    topics = active_categories().by_code("topics")
    save_branch_desk(
        centrum,
        {"topic": {topics["digid"].id: 0, topics["toeslagen"].id: 1}, "partner": {partner.id: 0}},
        coordinator,
    )
    device, _code = enrol_device(centrum, "Balie Centrum", coordinator)
    now = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    logged, _new = record_question(
        _data("demo-centrum", ["digid_app"], now, "Kwam terug", [partner.code]), coordinator
    )
    db.session.flush()
    logged.device_id = device.id
    update_question(
        logged, _data("demo-centrum", ["toeslagen"], now, "Andere notitie"), coordinator
    )
    gone, _new = record_question(_data("demo-noord", ["gemeente"], now), coordinator)
    delete_question(gone, coordinator)
    admin = create_user("beheer@host.example", "Beheerder", "admin", None)
    first = db.session.scalar(select(Question).order_by(Question.id).limit(1))
    update_question(first, _data(first.branch.code, ["overig"], first.asked_at), admin)
    db.session.commit()
    changed = default_mapping().as_json()
    changed["topics"]["apparaat"] = "overheid"
    from ido.core.reporting.national_form import FormMapping

    save_version(FormMapping.from_json(changed), date(2025, 1, 1), admin)
    _enrich_activities(coordinator, partner, admin)


def _enrich_activities(coordinator, partner, admin) -> None:
    """The library's details of its partner and of a default one (the shared details of that
    one stay behind), and the weekly spreekuur's next session cancelled, the one after moved,
    the latest one counted."""
    default = db.session.scalar(select(Agency).where(Agency.code == "belastinghulp"))
    library_id = coordinator.library_id
    save_contact(
        partner, library_id, {"phone": "030 123 45 67", "hours": "ma 9-12\ndi 13-17"}, coordinator
    )
    save_contact(default, library_id, {"website": "www.rivierstad.nl/belasting"}, coordinator)
    save_contact(default, None, {"website": "https://www.belastinghulp.example"}, admin)
    spreekuur = db.session.scalar(
        select(Activity).join(Activity.kind).where(Activity.kind.has(code="ido_spreekuur"))
    )
    today = now_local().date()
    past = [s for s in spreekuur.sessions if s.day < today]
    coming = [s for s in spreekuur.sessions if s.day > today]
    cancel_session(coming[0], True, coordinator)
    move_session(coming[1], coming[1].day + timedelta(days=1), time(13), time(15), coordinator)
    record_attendance(past[-1], 7, coordinator)
    db.session.commit()


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """The demo library, enriched, on SQLite; its state and its export (gzip)."""
    folder = tmp_path_factory.mktemp("transfer")
    url = f"sqlite:///{folder / 'source.sqlite'}"
    app = _empty_instance(url)
    with app.app_context():
        seed_categories()
        seed_demo(days=60)  # two months of questions (~600) say what a year does, in a fifth
        _enrich_demo()
    file = folder / "demo.jsonl.gz"
    result = app.test_cli_runner().invoke(args=["export-library", "demo", str(file)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        state = library_state("demo")
    dispose(app)
    return file, state


@pytest.fixture(scope="module")
def small(source, tmp_path_factory):
    """The demo export with its first 40 questions only (and the trail of those): what the
    refusals are tried on, each an import of its own (the whole file takes a second each)."""
    file, _state = source
    records = _lines(file)
    questions = [r for r in records if r["type"] == "question"]
    gone = {r["id"] for r in questions[40:]}
    kept = [
        r
        for r in records
        if not (r["type"] == "question" and r["id"] in gone)
        and not (r["type"] == "audit" and r["entity"] == "question" and r["entity_id"] in gone)
    ]
    counts = kept[-1]["counts"]
    for kind in ("question", "audit"):
        counts[kind] = sum(1 for r in kept if r["type"] == kind)
    path = tmp_path_factory.mktemp("small") / "small.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r) + "\n" for r in kept)
    return path


def library_state(code: str) -> dict:
    """Everything of the library that must move, by codes and e-mail addresses."""
    library = db.session.scalar(select(Library).where(Library.code == code))
    branches = list(library.branches)
    ids = [b.id for b in branches]
    emails = dict(db.session.execute(select(User.id, User.email)).all())
    devices = dict(db.session.execute(select(DeskDevice.id, DeskDevice.name)).all())
    counts = {}
    for by in DIMENSIONS:
        rows, totals = counts_and_totals(date(2000, 1, 1), date(2100, 1, 1), by, branches)
        counts[by] = sorted(
            (r.month, r.branch.code, r.key.code if r.key is not None else None, r.count)
            for r in rows
        )
        if totals:
            counts[f"{by}-totals"] = sorted(
                (month, bid and db.session.get(Branch, bid).code, tuple(t))
                for (month, bid), t in totals.items()
            )
    links: dict = {}
    for link in LINKS:
        rows = db.session.execute(
            select(
                Question.id,
                link.model.code,
                link.table.c.local_month,
                link.table.c.branch_id,
                link.table.c.counted,
            )
            .join(link.model, link.model.id == link.table.c[link.key])
            .join(Question, Question.key == link.table.c.question_key)
            .where(link.table.c.branch_id.in_(ids))
        )
        for question_id, code, month, branch_id, counted in rows:
            place = (code, month, db.session.get(Branch, branch_id).code, counted)
            links.setdefault((str(question_id), link.relation), []).append(place)
    questions = {}
    for q in db.session.scalars(select(Question).where(Question.branch_id.in_(ids))):
        key = str(q.id)
        questions[key] = (
            q.branch.code,
            q.asked_at,
            q.local_date,
            q.local_month,
            q.local_weekday,
            q.local_hour,
            emails.get(q.logged_by_id),
            devices.get(q.device_id),
            q.channel.code,
            q.outcome.code,
            q.duration_minutes,
            q.note,
            q.topic_codes,
            q.agency_codes,
            q.referral_codes,
            q.help_codes,
            q.created_at,
            q.updated_at,
            q.deleted_at,
            {link.relation: sorted(links.get((key, link.relation), [])) for link in LINKS},
        )
    people = sorted(
        (u.email, u.name, u.role, u.active, u.created_at, tuple(sorted(b.code for b in u.branches)))
        for u in db.session.scalars(select(User).where(User.library_id == library.id))
    )
    desk = sorted(
        (
            db.session.get(Branch, c.branch_id).code,
            c.kind,
            db.session.get(Topic if c.kind == "topic" else Agency, c.category_id).code,
            c.position,
        )
        for c in db.session.scalars(select(BranchCategory).where(BranchCategory.branch_id.in_(ids)))
    )
    partners = sorted(
        (a.code, a.name_nl, a.name_en, a.kind, a.level, a.position, a.active)
        for a in db.session.scalars(select(Agency).where(Agency.library_id == library.id))
    )
    return {
        **_activities_state(library, ids),
        "library": (library.code, library.name, library.active),
        "branches": sorted(
            (b.code, b.name, b.municipality, b.in_library, b.active, tuple(b.convenant_years))
            for b in branches
        ),
        "partners": partners,
        "desk": desk,
        "people": people,
        "devices": sorted(
            (d.name, d.branch.code, d.created_at, d.enrolled_at)
            for d in db.session.scalars(select(DeskDevice).where(DeskDevice.branch_id.in_(ids)))
        ),
        "counts": counts,
        "questions": questions,
        "audit": _trail(library, emails, devices),
    }


def _activity_names(ids) -> tuple[dict, dict]:
    """What names an activity and a session in any instance, by id."""
    activities = {
        a.id: (db.session.get(Branch, a.branch_id).code, a.kind.code, a.first_day, a.start_time)
        for a in db.session.scalars(select(Activity).where(Activity.branch_id.in_(ids)))
    }
    sessions = {
        s.id: (activities[s.activity_id], s.rule_day)
        for s in db.session.scalars(
            select(ActivitySession).where(ActivitySession.branch_id.in_(ids))
        )
    }
    return activities, sessions


def _activities_state(library, ids) -> dict:
    activities, sessions = _activity_names(ids)
    agencies = dict(db.session.execute(select(Agency.id, Agency.code)).all())
    return {
        "contacts": sorted(
            (agencies[c.agency_id], c.website, c.phone, c.phone_e164, c.address, c.hours, c.bring)
            + (c.updated_at,)
            for c in db.session.scalars(
                select(AgencyContact).where(AgencyContact.library_id == library.id)
            )
        ),
        "activities": sorted(
            (
                *activities[a.id],
                agencies.get(a.partner_id),
                a.title,
                a.form,
                a.convenant,
                a.repeat,
                a.until,
                a.nth,
                a.end_time,
                a.created_at,
                tuple(t.code for t in a.topics),
            )
            for a in db.session.scalars(select(Activity).where(Activity.branch_id.in_(ids)))
        ),
        "sessions": sorted(
            (
                sessions[s.id],
                db.session.get(Branch, s.branch_id).code,
                s.day,
                s.start_time,
                s.end_time,
                s.cancelled,
                s.moved,
                s.attendance,
                s.counted_at,
            )
            for s in db.session.scalars(
                select(ActivitySession).where(ActivitySession.branch_id.in_(ids))
            )
        ),
    }


def _trail(library, emails, devices) -> list:
    """The library's audit trail as a person reads it: who (by e-mail), what, about what."""
    subjects = {
        "library": {str(library.id): library.code},
        "branch": {str(b.id): b.code for b in library.branches},
        "user": {str(k): v for k, v in emails.items()},
        "password_link": {str(k): v for k, v in emails.items()},
        "device": {str(k): v for k, v in devices.items()},
    }
    activities, sessions = _activity_names([b.id for b in library.branches])
    subjects["activity"] = {str(k): v for k, v in activities.items()}
    subjects["activity_session"] = {str(k): v for k, v in sessions.items()}
    topics = dict(db.session.execute(select(Topic.id, Topic.code)).all())
    agencies = dict(db.session.execute(select(Agency.id, Agency.code)).all())
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            (AuditEvent.library_id == library.id)
            | ((AuditEvent.entity == "library") & (AuditEvent.entity_id == str(library.id)))
        )
        .where(AuditEvent.action != "import")
        .order_by(AuditEvent.id)
    )
    trail = []
    for e in events:
        changes = dict(e.changes)
        by = changes.pop("by", None) or emails.get(e.user_id)
        for key, names in (("desk_topics", topics), ("desk_partners", agencies)):
            if key in changes:
                changes[key] = [[names[i] for i in part] for part in changes[key]]
        trail.append(
            (
                e.at,
                by,
                devices.get(e.device_id),
                e.library_id is not None,
                e.action,
                e.entity,
                subjects.get(e.entity, {}).get(e.entity_id, e.entity_id),
                json.dumps(changes, sort_keys=True),
            )
        )
    return trail


def _import(url: str, file: Path, *options: str):
    app = _app(url)
    result = app.test_cli_runner().invoke(args=["import-library", str(file), *options])
    return app, result


def test_the_demo_library_moves_to_the_pass_database_and_back_unchanged(
    source, databases, tmp_path
):
    file, before = source
    there = databases.empty("transfer_there")
    target = _empty_instance(there)
    with target.app_context():  # so that the moved sessions' ids differ from the file's keys
        _another_library_with_an_activity()
    dispose(target)
    app, result = _import(there, file)
    assert result.exit_code == 0, result.output
    assert "3 people have no password here yet" in result.output
    assert "1 national-form mapping versions" in result.output  # the instance keeps its own
    with app.app_context():
        assert library_state("demo") == before
        assert any(e[5] == "activity_session" for e in before["audit"])
        assert any(b[5] for b in before["branches"])  # the years taking part in the convenant
        assert db.session.scalar(select(func.count()).select_from(NationalForm)) == 1
        tablet = db.session.scalar(select(DeskDevice))
        assert tablet.revoked_at is not None and tablet.secret_hash is None  # it enrols again
        person = db.session.scalar(select(User).where(User.email == "vrijwilliger@demo.example"))
        assert person.password_hash.startswith("!")  # no password: a link sets one
        imported = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "import")).all()
        assert len(imported) == 1 and imported[0].changes["question"] == len(before["questions"])
    back_file = tmp_path / "back.jsonl"
    result = app.test_cli_runner().invoke(args=["export-library", "demo", str(back_file)])
    assert result.exit_code == 0, result.output
    dispose(app)
    back = f"sqlite:///{tmp_path / 'back.sqlite'}"
    dispose(_empty_instance(back))
    app, result = _import(back, back_file)
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert library_state("demo") == before
    dispose(app)


def _another_library_with_an_activity() -> None:
    library = Library(code="ander", name="Ander")
    branch = Branch(code="ander-1", name="Een", municipality="Elders", library=library)
    db.session.add_all([library, branch])
    kind = db.session.scalar(select(ActivityKind).limit(1))
    rule = Rule("weekly", date(2025, 1, 6), date(2025, 3, 31))
    save_activity(ActivityData(branch, kind, rule, time(9), time(10)), None)
    db.session.commit()


def _lines(file: Path) -> list[dict]:
    opener = gzip.open if file.suffix == ".gz" else open
    with opener(file, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def row_counts() -> dict:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def _refused(app, file: Path, expected: str, *options: str) -> None:
    """The import fails with one line that says why, and changes nothing."""
    with app.app_context():
        before = row_counts()
    result = app.test_cli_runner().invoke(args=["import-library", str(file), *options])
    assert result.exit_code != 0
    assert expected in result.output, result.output
    assert result.output.count("\n") == 1, result.output  # one line
    with app.app_context():
        db.session.remove()
        assert row_counts() == before


def test_a_second_import_is_refused_and_nothing_doubles(small, org, tmp_path, auth, client):
    file = small
    result = org.test_cli_runner().invoke(args=["import-library", str(file), "--national-form"])
    assert result.exit_code == 0, result.output
    auth.login("admin@ido.example")  # the trail says in words what happened
    trail = client.get("/admin/audit?action=import").get_data(as_text=True)
    assert "<td>verhuisd vanaf een andere installatie</td>" in trail  # the event, not the filter
    with org.app_context():  # asked for: the old instance's mapping is added
        added = db.session.scalars(select(NationalForm.mapping)).all()
        assert [m["topics"]["apparaat"] for m in added] == ["overheid"]
    _refused(org, file, "A library with code demo exists in this instance already")
    # the same questions under other codes and addresses: refused by their ids
    records = _lines(file)
    for record in records:
        if record["type"] == "header":
            record["library"]["code"] = "demo2"
        if record["type"] in ("branch", "desk", "device", "question", "activity"):
            key = "code" if record["type"] == "branch" else "branch"
            record[key] = record[key] + "-2"
        if record["type"] == "person":
            record["email"] = "2" + record["email"]
            record["branches"] = [b + "-2" for b in record["branches"]]
        if record["type"] == "partner":
            record["code"] = record["code"].replace("demo.", "demo2.")
        if record["type"] == "contact":
            record["partner"] = record["partner"].replace("demo.", "demo2.")
        if record["type"] == "desk" and record["category"].startswith("demo."):
            record["category"] = record["category"].replace("demo.", "demo2.")
        if record["type"] == "question":
            record["referrals"] = [r.replace("demo.", "demo2.") for r in record["referrals"]]
    _refused(org, _write(tmp_path / "again.jsonl", records), "is in this instance already")
    with org.app_context():
        stored = select(func.count()).select_from(Question).join(Branch)
        in_file = [r for r in records if r["type"] == "question"]
        assert db.session.scalar(stored.where(Branch.code.like("demo-%"))) == len(in_file)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("library_taken", "A library with code demo exists in this instance already"),
        ("branch_taken", "A branch with code demo-noord exists in this instance already"),
        ("email_taken", "The e-mail address vol@a.example belongs to someone"),
        ("unknown_used", "This instance has no topic nieuw"),
        ("unknown_at_the_end", "This instance has no topic onbekend"),
        ("unknown_kind_at_the_end", "This instance has no activity_kind onbekend"),
        ("contact_refused", "The contact details of demo.taalhuis-rivier cannot be stored here"),
        ("newer", "was written by a newer IDO Logboek (format version 2"),
        ("cut_short", "without its end record: it was cut short"),
        ("cut_mid_line", "is cut short or too long"),
        ("not_json", "is not an IDO Logboek library file"),
        ("gzip_cut", "it cannot be read"),
        ("broken_line", "is not JSON: the file is damaged"),
        ("wrong_shape", "does not fit the format: duration_minutes"),
        ("counts_differ", "it is damaged"),
    ],
)
def test_a_file_that_cannot_be_taken_in_changes_nothing(small, org, tmp_path, change, expected):
    file = small
    records = _lines(file)
    questions = [r for r in records if r["type"] == "question"]
    path = tmp_path / "changed.jsonl"
    with org.app_context():
        if change == "library_taken":
            db.session.add(Library(code="demo", name="Al hier"))
        if change == "branch_taken":
            db.session.add(Branch(code="demo-noord", name="Noord", library_id=1, municipality="A"))
        db.session.commit()
    if change == "email_taken":
        next(r for r in records if r["type"] == "person")["email"] = "vol@a.example"
    if change == "unknown_used":
        records[0]["uses"]["topic"].append("nieuw")
    if change == "unknown_at_the_end":
        questions[-1]["topics"] = ["onbekend"]
    if change == "unknown_kind_at_the_end":  # after the questions, not named in the header
        [r for r in records if r["type"] == "activity"][-1]["kind"] = "onbekend"
    if change == "contact_refused":  # the old instance took it; this one does not
        next(r for r in records if r["type"] == "contact")["phone"] = "12"
    if change == "newer":
        records[0]["version"] = VERSION + 1
    if change == "wrong_shape":
        questions[-1]["duration_minutes"] = 0
    if change == "counts_differ":
        records[-1]["counts"]["question"] += 1
    _write(path, records)
    text = path.read_text(encoding="utf-8")
    if change == "cut_short":
        path.write_text(text[: text.rindex("\n", 0, -1) + 1])  # without the end record
    if change == "cut_mid_line":
        path.write_text(text[: len(text) // 2])
    if change == "not_json":
        path.write_text("month;count\n2026-01;3\n")
    if change == "broken_line":
        lines = text.splitlines(keepends=True)
        lines[5] = lines[5][:20] + "\n"
        path.write_text("".join(lines))
    if change == "gzip_cut":
        path = tmp_path / "cut.jsonl.gz"
        path.write_bytes(file.read_bytes()[: file.stat().st_size // 2])
    _refused(org, path, expected)


def test_a_file_written_before_activities_and_contact_details_imports(small, org, tmp_path):
    """Version 1 as it was: no contact, activity or session records, nor counts of them, and
    no convenant years on a branch."""
    new = ("contact", "activity", "session")
    records = [
        r
        for r in _lines(small)
        if r["type"] not in new
        and not (r["type"] == "audit" and r["entity"] in ("activity", "activity_session"))
    ]
    for record in records:
        if record["type"] == "branch":
            del record["convenant_years"]
    del records[0]["uses"]["activity_kind"]
    counts = records[-1]["counts"]
    for kind in new:
        del counts[kind]
    counts["audit"] = sum(1 for r in records if r["type"] == "audit")
    result = org.test_cli_runner().invoke(
        args=["import-library", str(_write(tmp_path / "old.jsonl", records))]
    )
    assert result.exit_code == 0, result.output
    with org.app_context():
        library = db.session.scalar(select(Library).where(Library.code == "demo"))
        assert [b.code for b in library.branches]
        assert all(b.convenant_years == [] for b in library.branches)
        assert db.session.scalar(select(func.count()).select_from(Activity)) == 0
        assert not db.session.scalars(
            select(AgencyContact).where(AgencyContact.library_id == library.id)
        ).all()


def test_the_header_names_the_format_and_version(source):
    file, _before = source
    records = _lines(file)
    header = records[0]
    assert (header["format"], header["version"]) == (FORMAT, VERSION)
    assert "taalhuis" not in " ".join(header["uses"]["agency"])  # the library's own travel along
    assert "belastinghulp" in header["uses"]["agency"]  # an activity's and a contact's partner
    assert "ido_spreekuur" in header["uses"]["activity_kind"]
    contacts = [r for r in records if r["type"] == "contact"]
    assert len(contacts) == 2  # the library's own; the shared details stay with the instance
    assert "belastinghulp.example" not in " ".join(r["website"] for r in contacts)


def test_export_refuses_an_unknown_library_and_a_file_that_exists(org, tmp_path):
    runner = org.test_cli_runner()
    result = runner.invoke(args=["export-library", "nope", str(tmp_path / "x.jsonl")])
    assert result.exit_code == 1 and "No library with code nope" in result.output
    assert not (tmp_path / "x.jsonl").exists()
    (tmp_path / "y.jsonl").write_text("")
    result = runner.invoke(args=["export-library", "lib-a", str(tmp_path / "y.jsonl")])
    assert result.exit_code == 1 and "exists already" in result.output


def _twice(records: list[dict], kind: str) -> None:
    """The first record of the kind once more, right after itself, and counted."""
    index = next(i for i, r in enumerate(records) if r["type"] == kind)
    records.insert(index + 1, dict(records[index]))
    records[-1]["counts"][kind] += 1


def _national_agency(records: list[dict]) -> str:
    """A national agency of this instance, named in the header (a coordinator never keeps its
    contact details)."""
    code = db.session.scalar(
        select(Agency.code).where(Agency.kind != "partner", Agency.library_id.is_(None)).limit(1)
    )
    if code not in records[0]["uses"]["agency"]:
        records[0]["uses"]["agency"].append(code)
    return code


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("out_of_order", "audit record out of order"),
        ("after_end", "goes on after its end record"),
        ("empty", "is empty: it is not an IDO Logboek library file"),
        ("no_header", f"is not an IDO Logboek library file (no {FORMAT} header)"),
        ("library_code", "The library code de.mo cannot be used"),
        ("branch_code", "The branch code demo.noord cannot be used"),
        ("foreign_partner", "The partner code ander.taalhuis is not one of library demo"),
        ("partner_twice", "A category with code demo.taalhuis-rivier exists in this instance"),
        ("desk_twice", "The database refused a record of the file"),
        ("national_contact", "which only an administrator keeps"),
        ("unknown_branch", "The branch nergens is not in the file"),
        ("unknown_tablet", "The desk tablet 999 is not in the file"),
        ("question_twice", "The file holds a question twice: it is damaged"),
        ("question_id", "is not a question id"),
        ("no_moment", "'2025-13-45T10:00:00+01:00' is not a moment"),
        ("activity_twice", "twice: it is damaged"),
        ("session_twice", "twice: it is damaged"),
        ("session_without_activity", "The activity 99999 is not in the file"),
        ("no_day", "'2025-02-30' is not a day"),
        ("no_clock", "'25:00' is not a time of day"),
        ("national_form_mid_month", "starts on a month's first day, not 2025-01-15"),
    ],
)
def test_a_damaged_or_foreign_record_is_refused_and_changes_nothing(
    small, org, tmp_path, change, expected
):
    records = _lines(small)
    first = {kind: next(r for r in records if r["type"] == kind) for kind in ORDER[:-1]}
    path = tmp_path / "changed.jsonl"
    options: tuple[str, ...] = ()
    if change == "out_of_order":  # the national form before the trail
        records.insert(records.index(first["audit"]), records.pop(-2))
    if change == "library_code":  # the file's pattern allows a dot; a new code does not
        records[0]["library"]["code"] = "de.mo"
    if change == "branch_code":
        first["branch"]["code"] = "demo.noord"
    if change == "foreign_partner":
        first["partner"]["code"] = "ander.taalhuis"
    if change in ("partner_twice", "desk_twice", "question_twice", "activity_twice"):
        _twice(records, change.removesuffix("_twice"))
    if change == "session_twice":
        _twice(records, "session")
    if change == "national_contact":
        with org.app_context():
            first["contact"]["partner"] = _national_agency(records)
    if change == "unknown_branch":
        first["question"]["branch"] = "nergens"
    if change == "unknown_tablet":
        first["question"]["device"] = 999
    if change == "question_id":  # the file's pattern, but no UUID
        first["question"]["id"] = "-" * 36
    if change == "no_moment":  # the file's pattern, but no moment
        first["question"]["asked_at"] = "2025-13-45T10:00:00+01:00"
    if change == "session_without_activity":
        first["session"]["activity"] = 99999
    if change == "no_day":
        first["activity"]["first_day"] = "2025-02-30"
    if change == "no_clock":
        first["activity"]["start_time"] = "25:00"
    if change == "national_form_mid_month":
        first["national_form"]["valid_from"] = "2025-01-15"
        options = ("--national-form",)
    _write(path, records)
    if change == "after_end":
        path.write_text(path.read_text(encoding="utf-8") + "{}\n", encoding="utf-8")
    if change == "empty":
        path.write_text("")
    if change == "no_header":
        path.write_text('{"format": "csv"}\n')
    _refused(org, path, expected, *options)


def test_a_file_that_cannot_be_opened_is_refused(tmp_path):
    with pytest.raises(TransferError, match="Cannot read .*: No such file or directory"):
        next(records(tmp_path / "gone.jsonl"))


def test_small_batches_and_a_trail_of_earlier_moves_import_whole(small, org, tmp_path, monkeypatch):
    """Batches of two questions, events and sessions (a large library's path); an event about
    an activity that was gone before an earlier move keeps its mark."""
    monkeypatch.setattr(rows, "BATCH", 2)
    monkeypatch.setattr(transfer_activities, "BATCH", 2)
    records = _lines(small)
    about_activity = next(r for r in records if r["type"] == "audit" and r["entity"] == "activity")
    about_activity["entity_id"] = "gone:7"
    with org.app_context():
        trail_before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    result = org.test_cli_runner().invoke(
        args=["import-library", str(_write(tmp_path / "batches.jsonl", records))]
    )
    assert result.exit_code == 0, result.output
    counts = records[-1]["counts"]
    with org.app_context():
        library = db.session.scalar(select(Library).where(Library.code == "demo"))
        mine = select(func.count()).join(Branch).where(Branch.library_id == library.id)
        assert db.session.scalar(mine.select_from(Question)) == counts["question"]
        assert db.session.scalar(mine.select_from(ActivitySession)) == counts["session"]
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action != "import", AuditEvent.entity != "library")
        ).all()
        trail = db.session.scalar(select(func.count()).select_from(AuditEvent))
        assert trail == trail_before + counts["audit"] + 1  # and the import's own event
        assert "gone:7" in {e.entity_id for e in events if e.entity == "activity"}
        sessions = set(
            db.session.scalars(
                select(ActivitySession.id).join(Branch).where(Branch.library_id == library.id)
            )
        )
        about_sessions = {int(e.entity_id) for e in events if e.entity == "activity_session"}
        assert about_sessions and about_sessions <= sessions  # the new ids, not the file's


def test_a_file_without_a_trail_imports_its_questions(small, org, tmp_path):
    records = [r for r in _lines(small) if r["type"] != "audit"]
    records[-1]["counts"]["audit"] = 0
    result = org.test_cli_runner().invoke(
        args=["import-library", str(_write(tmp_path / "no-trail.jsonl", records))]
    )
    assert result.exit_code == 0, result.output
    with org.app_context():
        stored = select(func.count()).select_from(Question).join(Branch)
        assert db.session.scalar(stored.where(Branch.code.like("demo-%"))) == sum(
            1 for r in records if r["type"] == "question"
        )


def test_export_into_a_missing_folder_is_refused(org, tmp_path):
    result = org.test_cli_runner().invoke(
        args=["export-library", "lib-a", str(tmp_path / "no" / "x.jsonl")]
    )
    assert result.exit_code == 1
    assert "Cannot write" in result.output and "No such file or directory" in result.output


def test_an_export_that_fails_halfway_leaves_no_file(org, tmp_path, monkeypatch):
    written = []

    def failing(handle, kind, record):
        if kind == "branch":
            raise TransferError("The disk is full.")
        written.append(kind)
        write(handle, kind, record)

    monkeypatch.setattr(export, "write", failing)
    file = tmp_path / "half.jsonl"
    result = org.test_cli_runner().invoke(args=["export-library", "lib-a", str(file)])
    assert result.exit_code == 1 and "The disk is full." in result.output
    assert written == ["header"]
    assert not file.exists()  # never half a file under the name asked for


def test_an_export_inside_a_transaction_reads_in_it(org, tmp_path):
    """Called in a transaction already begun, the export reads in that one."""
    with org.app_context():
        library = db.session.scalar(select(Library).where(Library.code == "lib-a"))
        assert db.session().in_transaction()
        counts = export_library("lib-a", tmp_path / "in.jsonl")
        assert counts["branch"] == len(library.branches)
        db.session.rollback()
    assert _lines(tmp_path / "in.jsonl")[-1]["counts"] == counts
