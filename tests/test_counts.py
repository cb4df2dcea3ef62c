"""Counts against hand-computed fixtures, in the API, both CSV dialects, XLSX and the CLI."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from ido.core.db import db
from ido.core.questions import QuestionData, update_question
from ido.core.taxonomy import active_categories

from .api_client import Api
from .helpers import branch, committed, questions, store_question, user


def _api(client, app, email="coord@a.example"):
    from ido.core.organisation.tokens import create_token

    with app.app_context():
        return Api(client, committed(create_token(user(email), "t")[1]))


def _rows(api, query):
    response = api.get(f"/api/v1/counts?{query}")
    assert response.status_code == 200, response.get_json()
    return [(r["month"], r["branch"], r["key"], r["count"]) for r in response.get_json()["rows"]]


def test_total_per_month_in_amsterdam_time_without_deleted(client, counted):
    api = _api(client, counted)
    rows = api.get("/api/v1/counts?from=2026-01&to=2026-03&by=total").get_json()["rows"]
    assert [(r["count"], r["questions"], r["minutes"]) for r in rows] == [
        (1, 2, 10),
        (1, 1, 10),
        (1, 1, 45),
    ]
    topics = api.get("/api/v1/counts?from=2026-01&to=2026-03&by=topic").get_json()["rows"]
    assert "questions" not in topics[0]  # per topic, the count is its questions already
    assert _rows(api, "from=2026-01&to=2026-12&by=total") == [
        ("2026-01", "a1", None, 1),
        ("2026-02", "a1", None, 1),
        ("2026-03", "a1", None, 1),
        ("2026-11", "a2", None, 1),
    ]


def test_a_question_with_two_topics_counts_once_under_each(client, counted):
    api = _api(client, counted)
    assert _rows(api, "from=2026-01&to=2026-02&by=topic") == [
        ("2026-01", "a1", "toeslagen", 1),
        ("2026-01", "a1", "gemeente", 1),
        ("2026-02", "a1", "digid", 1),
        ("2026-02", "a1", "digid_app", 1),
    ]
    assert _rows(api, "from=2026-03&to=2026-03&by=channel") == [("2026-03", "a1", "telefoon", 1)]
    assert _rows(api, "from=2026-03&to=2026-03&by=referral") == [("2026-03", "a1", "uwv", 1)]
    assert _rows(api, "from=2026-03&to=2026-03&by=agency") == []
    assert _rows(api, "from=2026-01&to=2026-12&by=outcome&branch=a2") == [
        ("2026-11", "a2", "geholpen", 1)
    ]


def test_counts_per_municipality(client, counted):
    api = _api(client, counted)
    assert _rows(api, "from=2026-01&to=2026-12&municipality=Adorp") == [("2026-11", "a2", None, 1)]
    assert _rows(api, "from=2026-01&to=2026-12&municipality=Bstad") == []  # not in scope


def test_counts_are_scoped(client, counted):
    assert _rows(_api(client, counted, "coord@b.example"), "from=2026-01&to=2026-12") == [
        ("2026-02", "b1", None, 1)
    ]
    volunteer = _api(client, counted, "vol@a.example")  # branch a1 only
    assert {r[1] for r in _rows(volunteer, "from=2026-01&to=2026-12")} == {"a1"}
    assert volunteer.get("/api/v1/counts?branch=a2").status_code == 403
    assert _api(client, counted).get("/api/v1/counts?branch=b1").status_code == 422  # as unknown
    admin = _api(client, counted, "admin@ido.example")
    assert {r[1] for r in _rows(admin, "from=2026-01&to=2026-12")} == {"a1", "a2", "b1"}


@pytest.mark.once  # refused in Python before any query
@pytest.mark.parametrize(
    "query",
    ["by=weekday", "from=2026-13", "from=2026-05&to=2026-01", "branch=onbekend", "to=januari"],
)
def test_bad_count_parameters_are_422(client, counted, query):
    response = _api(client, counted).get(f"/api/v1/counts?{query}")
    assert response.status_code == 422


def test_csv_excel_nl_dialect(client, counted, auth):
    auth.login("coord@a.example")
    response = client.get("/reports/monthly.csv?from=2026-01&to=2026-02&by=topic")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="ido-lib-a-2026-01-2026-02-topic.csv"'
    )
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == [
        "maand",
        "vestiging_code",
        "vestiging",
        "onderwerp_code",
        "onderwerp",
        "aantal",
    ]
    assert rows[1:] == [
        ["2026-01", "a1", "A Centrum", "toeslagen", "Toeslagen", "1"],
        [
            "2026-01",
            "a1",
            "A Centrum",
            "gemeente",
            "Gemeentelijke regelingen en dienstverlening",
            "1",
        ],
        ["2026-02", "a1", "A Centrum", "digid", "DigiD", "1"],
        ["2026-02", "a1", "A Centrum", "digid_app", "DigiD-app", "1"],
    ]


def test_csv_rfc4180_dialect_and_total(client, counted, auth):
    auth.login("coord@a.example")
    response = client.get("/reports/monthly.csv?from=2026-01&to=2026-12&dialect=rfc4180&by=total")
    raw = response.data
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode(), newline="")))
    # the totals: visitors (entries), questions (topics) and hours of help beside them
    assert rows[0] == ["month", "branch_code", "branch_name", "count", "questions", "hours"]
    assert rows[1] == ["2026-01", "a1", "A Centrum", "1", "2", "0.2"]  # two topics, 10 minutes
    assert rows[-1] == ["2026-11", "a2", "A Dorp", "1", "1", "0.2"]
    dutch = client.get("/reports/monthly.csv?from=2026-03&to=2026-03&by=total").get_data(
        as_text=True
    )
    assert dutch.splitlines()[:2] == [
        "\ufeffmaand;vestiging_code;vestiging;aantal;vragen;uren_hulp",
        "2026-03;a1;A Centrum;1;1;0,8",  # 45 minutes, with a decimal comma for Dutch Excel
    ]
    response = client.get("/reports/monthly.csv?from=2026-03&to=2026-03&dialect=rfc4180&by=help")
    assert response.data.decode().splitlines()[0] == (
        "month,branch_code,branch_name,help_code,help_name,count"
    )
    assert client.get("/reports/monthly.csv?dialect=tsv").status_code == 422


def test_csv_cells_cannot_start_a_formula(client, counted, app, auth):
    from ido.core.db import db
    from ido.core.models import Branch

    with app.app_context():
        db.session.scalar(db.select(Branch).where(Branch.code == "a1")).name = "=cmd|' /C calc'!A0"
        db.session.commit()
    auth.login("coord@a.example")
    for dialect, delimiter in (("excel-nl", ";"), ("rfc4180", ",")):
        body = client.get(f"/reports/monthly.csv?from=2026-01&to=2026-12&dialect={dialect}")
        rows = list(
            csv.reader(io.StringIO(body.data.decode("utf-8-sig"), newline=""), delimiter=delimiter)
        )
        names = {row[2] for row in rows[1:]}
        assert "'=cmd|' /C calc'!A0" in names
        assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_xlsx_has_a_sheet_per_dimension_with_months_as_columns(client, counted, auth):
    auth.login("coord@a.example")
    response = client.get("/reports/monthly.xlsx?from=2026-01&to=2026-03")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('-2026-01-2026-03-tellingen.xlsx"')
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == [
        "Totaal",
        "Vragen",
        "Uren hulp",
        "Onderwerp",
        "Instantie",
        "Doorverwijzing",
        "Hulp",
        "Kanaal",
        "Uitkomst",
        "Toelichting",  # the rule: visitors, questions, hours
    ]
    rule = " ".join(row[0].value for row in book["Toelichting"].iter_rows())
    assert "Eén registratie aan de balie is één bezoeker" in rule and "Uren hulp" in rule
    sheet = book["Totaal"]
    total = [[c.value for c in row] for row in sheet.iter_rows()]
    assert total[0] == ["Gemeente", "Vestiging", "Code", "2026-01", "2026-02", "2026-03", "Totaal"]
    assert total[1] == ["Astad", "A Centrum", "a1", 1, 1, 1, 3]
    assert total[2] == ["Astad", "Totaal Astad", None, 1, 1, 1, 3]  # the municipality's total
    assert total[-1] == ["Totaal", None, None, 1, 1, 1, 3]
    assert sheet.freeze_panes == "D2"  # the header and the names stay in view
    assert sheet.column_dimensions["B"].width == 30
    assert sheet["D2"].number_format == "#,##0" and sheet["B3"].font.b
    asked = [[c.value for c in row] for row in book["Vragen"].iter_rows()]
    assert asked[1] == ["Astad", "A Centrum", "a1", 2, 1, 1, 4]  # January's entry: two topics
    hours = book["Uren hulp"]
    assert [c.value for c in next(hours.iter_rows(min_row=2))][3:] == pytest.approx(
        [10 / 60, 10 / 60, 0.75, 65 / 60]
    )
    assert hours["D2"].number_format == "#,##0.0"
    topics = [[c.value for c in row] for row in book["Onderwerp"].iter_rows()]
    assert ["Astad", "A Centrum", "a1", "digid", "DigiD", 0, 1, 1, 2] in topics
    assert ["Astad", "Totaal Astad", None, "digid", "DigiD", 0, 1, 1, 2] in topics
    assert book["Onderwerp"].freeze_panes == "F2"


def _assert_sheet_holds(sheet, counts, towns, months, number_format):
    """Every cell of a count sheet against `counts` ((branch code, category code or None,
    month): count): each branch's row, each municipality's total, the total of all, and no
    count left out; every number in `number_format`, the totals' rows bold."""
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    keyed = header[3] == "Code"
    first = 5 if keyed else 3
    assert header[first:] == [*months, "Totaal"]
    assert sheet.freeze_panes == ("F2" if keyed else "D2")
    shown = set()
    for row in rows[1:]:
        town, name, code = (c.value for c in row[:3])
        key = row[3].value if keyed else None
        if code is not None:  # a branch
            want = [counts.get((code, key, m), 0) for m in months]
            shown |= {(code, key, m) for m in months if (code, key, m) in counts}
        else:
            assert town == "Totaal" or name == f"Totaal {town}"
            want = [
                sum(
                    n
                    for (c, k, month), n in counts.items()
                    if k == key and month == m and town in ("Totaal", towns[c])
                )
                for m in months
            ]
        cells = row[first:]
        assert [c.value for c in cells] == pytest.approx([*want, sum(want)]), (sheet.title, town)
        assert {c.number_format for c in cells} == {number_format}
        assert {c.font.b for c in row if c.value is not None} == {code is None}
    assert shown == set(counts)  # every count of the core is in the sheet


def test_xlsx_holds_every_count_of_the_core(client, counted, app, auth):
    from ido.core.models import Branch
    from ido.core.organisation import update_branch
    from ido.core.reporting.counts import DIMENSIONS, monthly_counts, monthly_totals
    from ido.core.reporting.exports import DUTCH_DIMENSIONS

    at = lambda *parts: datetime(*parts, tzinfo=UTC)  # noqa: E731
    with app.app_context():  # agencies, help and referrals too; a name XML must escape
        store_question(
            "a2",
            at(2026, 5, 4, 9, 0),
            ["digid", "toeslagen"],
            agencies=["uwv", "svb"],
            help=["uitleg"],
            referrals=["uwv"],
            duration=30,
        )
        store_question("b1", at(2026, 6, 30, 12, 0), ["zorg"], agencies=["cak"], help=["uitleg"])
        update_branch(branch("a2"), '=A & "Dorp" <oost>', "Adorp", False, True)
        db.session.commit()
    auth.login("admin@ido.example")
    response = client.get("/reports/monthly.xlsx?from=2026-01&to=2026-12")
    book = load_workbook(io.BytesIO(response.data))
    months = [f"2026-{m:02d}" for m in range(1, 13)]
    with app.app_context():
        branches = list(db.session.scalars(db.select(Branch)))
        first, last = date(2026, 1, 1), date(2026, 12, 1)
        totals = monthly_totals(first, last, branches)
        codes = {b.id: b.code for b in branches}
        expected = {
            "Totaal": {
                (r.branch.code, None, f"{r.month:%Y-%m}"): r.count
                for r in monthly_counts(first, last, "total", branches)
            },
            "Vragen": {(codes[b], None, f"{m:%Y-%m}"): t.questions for (m, b), t in totals.items()},
            "Uren hulp": {
                (codes[b], None, f"{m:%Y-%m}"): t.minutes / 60 for (m, b), t in totals.items()
            },
        }
        for by in DIMENSIONS:
            if by != "total":
                expected[DUTCH_DIMENSIONS[by].capitalize()] = {
                    (r.branch.code, r.key.code, f"{r.month:%Y-%m}"): r.count
                    for r in monthly_counts(first, last, by, branches)
                }
        towns = {b.code: b.municipality for b in branches}
    assert all(expected.values()) and len(towns) == 3
    for title, counts in expected.items():
        number_format = "#,##0.0" if title == "Uren hulp" else "#,##0"
        _assert_sheet_holds(book[title], counts, towns, months, number_format)
    names = [row[1].value for row in book["Totaal"].iter_rows()]
    assert '\'=A & "Dorp" <oost>' in names  # neutralised and escaped


def test_counts_per_municipality_add_up_its_branches(client, counted, app, auth):
    from ido.core.organisation import update_branch

    with app.app_context():  # a2 moves to Astad: two branches in one municipality
        update_branch(branch("a2"), "A Dorp", "Astad", False, True)
        db.session.commit()
    auth.login("coord@a.example")
    url = "/reports/monthly.csv?from=2026-01&to=2026-12&by=total&per=municipality"
    rows = list(
        csv.reader(io.StringIO(client.get(url + "&dialect=rfc4180").get_data(as_text=True)))
    )
    assert rows[0] == ["month", "municipality", "count", "questions", "hours"]
    assert ["2026-11", "Astad", "1", "1", "0.2"] in rows and [
        "2026-02",
        "Astad",
        "1",
        "1",
        "0.2",
    ] in rows
    assert sum(int(r[2]) for r in rows[1:]) == 4  # a1's three, a2's one
    dutch = client.get(url.replace("by=total", "by=topic")).get_data(as_text=True)
    assert dutch.startswith("\ufeffmaand;gemeente;onderwerp_code;onderwerp;aantal\r\n")
    assert "2026-03;Astad;digid;DigiD;1" in dutch
    assert client.get(url.replace("per=municipality", "per=provincie")).status_code == 422


def test_raw_export_streams_questions_without_notes_unless_asked(client, counted, app, auth):
    auth.login("admin@ido.example")
    response = client.get("/reports/questions.csv?from=2026-01&to=2026-12&dialect=rfc4180")
    assert response.is_streamed
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True), newline="")))
    assert len(rows) == 5 and "note" not in rows[0]
    feb = next(r for r in rows if r["topics"] == "digid|digid_app")
    assert feb["local_date"] == "2026-02-01" and feb["asked_at"] == "2026-02-01T00:30:00+01:00"
    with_notes = client.get(
        "/reports/questions.csv?from=2026-02&to=2026-02&notes=1&dialect=rfc4180&branch=b1"
    ).get_data(as_text=True)
    [row] = list(csv.DictReader(io.StringIO(with_notes, newline="")))
    assert row["note"] == "'=HYPERLINK(1)"  # neutralised, never a live formula


def _reference_lines(notes: bool) -> list[list[str]]:
    """The raw export as a plain per-question rendering through the ORM would give it."""
    from ido.core.models import Question
    from ido.core.reporting.exports import safe_cell
    from ido.core.timeutil import LOCAL_TZ

    def joined(items):
        return "|".join(sorted(item.code for item in items))

    kept = [q for q in questions() if q.deleted_at is None]
    lines = []
    for q in sorted(kept, key=lambda q: (q.asked_at, q.id.hex)):
        moment = q.asked_at.astimezone(LOCAL_TZ).replace(microsecond=0).isoformat()
        line = [
            str(q.id),
            q.branch.code,
            moment,
            q.local_date.isoformat(),
            joined(q.topics),
            joined(q.agencies),
            joined(q.referrals),
            joined(q.help),
            q.channel.code,
            str(q.duration_minutes),
            q.outcome.code,
        ]
        lines.append([*line, safe_cell(q.note or "")] if notes else line)
    assert all(isinstance(q, Question) for q in kept)
    return lines


@pytest.mark.dialect  # the raw export's SQL is written for each database
@pytest.mark.parametrize(("dialect", "separator"), [("excel-nl", ";"), ("rfc4180", ",")])
def test_raw_export_renders_every_question_as_the_orm_would(
    client, counted, app, dialect, separator, auth
):
    with app.app_context():
        at = lambda *parts: datetime(*parts, tzinfo=UTC)  # noqa: E731
        # The two 02:30s of the night summer time ends; seconds and microseconds; links of
        # every kind; notes that need quotes in either dialect.
        store_question(
            "a1",
            at(2026, 10, 25, 0, 30, 15, 123456),
            ["zorg", "digid"],
            referrals=["uwv", "svb"],
            agencies=["svb", "duo"],
            help=["uitleg"],
            note='Zei "ja"; dan,\nnog een vraag',
        )
        store_question(
            "a1", at(2026, 10, 25, 1, 30, 59), ["digid"], help=["samen", "uitleg"], note="-tekst"
        )
        # New Year's Eve in UTC is already the next year locally (the service refuses the
        # future, so the past year's); a moment a split second before the next, which is cut
        # off, not rounded up
        store_question("a2", at(2025, 12, 31, 23, 59, 59, 999600), ["digid"])
        edited = store_question(
            "a1",
            at(2026, 6, 30, 22, 0),
            ["zorg"],
            channel="telefoon",
            duration=480,
            help=["uitleg"],
        )
        by_code = active_categories().by_code
        update_question(
            edited,
            QuestionData(
                branch=edited.branch,
                topics=[by_code("topics")["digid_app"]],
                channel=edited.channel,
                outcome=edited.outcome,
                duration_minutes=480,
                asked_at=edited.asked_at,
                agencies=[by_code("agencies")["cak"]],
            ),
            user("coord@a.example"),
        )
        db.session.commit()
    auth.login("admin@ido.example")
    for notes in (False, True):
        response = client.get(
            f"/reports/questions.csv?from=2026-01&to=2026-12&dialect={dialect}"
            + ("&notes=1" if notes else "")
        )
        body = response.get_data(as_text=True)
        assert body.startswith(
            "\ufeffid;vestiging_code;moment;datum;onderwerpen;"
            if dialect == "excel-nl"
            else "id,branch_code,asked_at,local_date,"
        )
        assert body.endswith("\r\n") and "\n" not in body.replace("\r\n", "").replace(
            "dan,\nnog", ""
        )
        rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"), newline=""), delimiter=separator))
        assert len(rows[0]) == (12 if notes else 11)
        with app.app_context():
            assert rows[1:] == _reference_lines(notes)
    summer_end = [r for r in rows if r[3] == "2026-10-25"]
    assert [r[2] for r in summer_end] == ["2026-10-25T02:30:15+02:00", "2026-10-25T02:30:59+01:00"]
    assert summer_end[0][4:8] == ["digid|zorg", "duo|svb", "svb|uwv", "uitleg"]
    assert summer_end[0][-1] == 'Zei "ja"; dan,\nnog een vraag' and summer_end[1][-1] == "'-tekst"
    assert rows[1][2:4] == ["2026-01-01T00:59:59+01:00", "2026-01-01"]  # first in order
    [june] = [r for r in rows if r[3] == "2026-07-01"]  # the edit reached the copies
    assert june[2] == "2026-07-01T00:00:00+02:00"
    assert june[4:8] == ["digid|digid_app", "cak", "", ""]


def test_reports_are_for_coordinators_and_admins_only(client, counted, auth):
    auth.login("vol@a.example")
    for path in ("/reports/monthly.csv", "/reports/monthly.xlsx", "/reports/questions.csv"):
        assert client.get(path).status_code == 403
    client.post("/auth/logout")
    assert client.get("/reports/monthly.csv").status_code == 302  # to the log-in page
    auth.login("coord@b.example")
    assert client.get("/reports/monthly.csv?branch=a1").status_code == 422  # as unknown
    assert client.get("/reports/monthly.xlsx?branch=a1").status_code == 422
    body = client.get("/reports/monthly.csv?from=2026-01&to=2026-12&dialect=rfc4180")
    assert "a1" not in body.get_data(as_text=True).split()
    book = load_workbook(
        io.BytesIO(client.get("/reports/monthly.xlsx?from=2026-01&to=2026-12").data)
    )
    cells = {c.value for sheet in book for row in sheet.iter_rows() for c in row}
    assert "b1" in cells and not cells & {"a1", "a2", "A Centrum", "A Dorp"}
    raw = client.get("/reports/questions.csv?from=2026-01&to=2026-12").get_data(as_text=True)
    assert ";a1;" not in raw and ";b1;" in raw


def test_reports_with_a_bearer_token(client, counted, app):
    from ido.core.organisation.tokens import create_token

    with app.app_context():
        token = committed(create_token(user("coord@a.example"), "script")[1])
    response = client.get(
        "/reports/monthly.csv?from=2026-01&to=2026-01&dialect=rfc4180",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200 and "toeslagen" not in response.get_data(as_text=True)
    bad = client.get("/reports/monthly.csv", headers={"Authorization": "Bearer ido_nope"})
    assert bad.status_code == 401


def test_export_counts_command(runner, counted, tmp_path):
    out = tmp_path / "tellingen.csv"
    result = runner.invoke(
        args=[
            "export-counts",
            "--from",
            "2026-01",
            "--to",
            "2026-12",
            "--by",
            "topic",
            "--dialect",
            "rfc4180",
            "--out",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    with out.open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][-1] == "count" and ["2026-02", "b1", "B Centrum", "digid", "DigiD", "1"] in rows
    bad = runner.invoke(
        args=["export-counts", "--from", "2026-13", "--to", "2026-12", "--out", str(out)]
    )
    assert bad.exit_code != 0 and "JJJJ-MM" in bad.output


def test_counts_follow_an_edit_and_a_delete(client, counted, app):
    from datetime import UTC, datetime

    from ido.core.db import db
    from ido.core.models import Question
    from ido.core.questions import delete_question, update_question

    from .helpers import store_question

    api = _api(client, counted)
    with app.app_context():
        question = store_question("a1", datetime(2026, 5, 10, 10, 0, tzinfo=UTC), ["studie"])
        question_id = question.id
    assert _rows(api, "from=2026-05&to=2026-06&by=topic") == [("2026-05", "a1", "studie", 1)]
    with app.app_context():
        question = db.session.get(Question, question_id)
        data = _same_question_in_june(question)
        data.early_confirmed = True  # a month long reported: the coordinator confirms it
        update_question(question, data, user("coord@a.example"))
        db.session.commit()
    assert _rows(api, "from=2026-05&to=2026-06&by=topic") == [("2026-06", "a1", "studie", 1)]
    with app.app_context():
        delete_question(db.session.get(Question, question_id), user("coord@a.example"))
        db.session.commit()
    assert _rows(api, "from=2026-05&to=2026-06&by=topic") == []
    assert _rows(api, "from=2026-05&to=2026-06&by=total") == []


def _same_question_in_june(question):
    from datetime import UTC, datetime

    from ido.core.questions import QuestionData

    return QuestionData(
        branch=question.branch,
        topics=list(question.topics),
        channel=question.channel,
        outcome=question.outcome,
        duration_minutes=question.duration_minutes,
        asked_at=datetime(2026, 6, 2, 9, 0, tzinfo=UTC),
    )


def test_a_script_with_a_token_gets_json_errors_from_reports_too(client, counted, app):
    """One rule for JSON or a page: a bearer token on a report page is a script, too."""
    from ido.core.organisation.tokens import create_token

    with app.app_context():
        token = committed(create_token(user("coord@a.example"), "script")[1])
    headers = {"Authorization": f"Bearer {token}"}
    refused = client.get("/reports/monthly.csv?branch=b1", headers=headers)
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["branch"][0]["code"] == "unknown_code"
    missing = client.get("/reports/bestaat-niet", headers=headers)
    assert missing.status_code == 404 and missing.get_json()["errors"]["_"][0]["code"] == "404"


@pytest.mark.parametrize(
    "first, last, visitors, questions",
    [
        ("2026-01-31", "2026-03-29", 3, 4),  # two months cut short and a whole one between
        ("2026-02-01", "2026-03-28", 1, 1),  # a whole month, and March without its 29th
        ("2026-01-01", "2026-01-30", 0, 0),
        ("2026-01-31", "2026-01-31", 1, 2),  # one day: the entry with two topics
        ("2026-02-01", "2026-02-28", 1, 1),  # a whole month: the follow-up and DigiD are one
        ("2026-01-01", "2026-12-31", 4, 5),  # a whole year, the deleted one left out
    ],
)
def test_totals_between_days_count_visitors_questions_and_minutes(
    counted, app, first, last, visitors, questions
):
    from datetime import date

    from ido.core.reporting.counts import totals_between

    with app.app_context():
        ids = [branch("a1").id, branch("a2").id]
        found = totals_between(date.fromisoformat(first), date.fromisoformat(last), ids)
        assert (found.visitors, found.questions) == (visitors, questions)


@pytest.mark.once  # no database
def test_xlsx_writer_escapes_text_and_keeps_styles_widths_and_spaces():
    from ido.core.reporting.exports.xlsx import Style, Workbook

    book = Workbook()
    with book.sheet("A & <b>", [10, 20, 30], frozen=(1, 1)) as sheet:
        sheet.append(["bel\x07", "<b>&amp;", " spatie "], [Style.TEXT] * 3)
        sheet.append([1, 2.5, None], [Style.COUNT, Style.HOURS_BOLD, Style.TEXT])
    read = load_workbook(io.BytesIO(book.close()))["A & <b>"]
    assert [[c.value for c in row] for row in read.iter_rows()] == [
        ["bel\ufffd", "<b>&amp;", " spatie "],  # XML cannot hold a bell: shown as U+FFFD
        [1, 2.5, None],
    ]
    assert read.freeze_panes == "B2" and read.column_dimensions["C"].width == 30
    assert read["A2"].number_format == "#,##0" and not read["A2"].font.b
    assert read["B2"].number_format == "#,##0.0" and read["B2"].font.b
