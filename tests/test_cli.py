"""Every command, with good and bad input."""

import pytest
from sqlalchemy.orm import selectinload

from ido.core.db import db
from ido.core.models import Agency, Branch, Library, Question, Topic, User, joined_codes

from .conftest import PASSWORD, dispose


def test_init_db_seeds_categories_once(database, runner, app, tmp_path):
    from ido import create_app

    from .conftest import make_config

    url = database("ido_initdb")
    fresh = create_app(make_config(url))
    cli = fresh.test_cli_runner()
    first = cli.invoke(args=["init-db"])
    assert first.exit_code == 0, first.output
    assert "58 default categories added" in first.output
    second = cli.invoke(args=["init-db"])
    assert second.exit_code == 0 and "0 default categories added" in second.output
    with fresh.app_context():
        assert db.session.scalar(db.select(db.func.count(Topic.id))) == 19
        from ido.core.models import NationalForm

        versions = db.session.scalars(db.select(NationalForm)).all()  # stored once, not twice
        assert [v.valid_from.isoformat() for v in versions] == ["2024-04-01"]
        assert versions[0].mapping["channel_of"]["online"] == "online"
        network = db.session.scalars(db.select(Agency.code).where(Agency.kind == "npd"))
        assert sorted(network) == [  # the Manifestgroep's, and the four that joined since
            "belastingdienst",
            "cak",
            "cbr",
            "ciz",
            "cjib",
            "duo",
            "huurcommissie",
            "lbio",
            "rdw",
            "rvr",
            "svb",
            "toeslagen",
            "uwv",
        ]
        levels = dict(db.session.execute(db.select(Agency.code, Agency.level)).all())
        assert (levels["uwv"], levels["logius"], levels["gemeente"]) == (
            "uitvoering",
            "rijk",
            "gemeente",
        )
        assert levels["taalhuis"] == "overig"
        digid_app = db.session.scalar(db.select(Topic).where(Topic.code == "digid_app"))
        assert digid_app.parent.code == "digid" and digid_app.group == "overheid"
    dispose(fresh)


def test_create_library_branch_and_user(runner, app):
    assert runner.invoke(args=["create-library", "bieb", "Bibliotheek Bieb"]).exit_code == 0
    result = runner.invoke(
        args=[
            "create-branch",
            "bieb-c",
            "Centrum",
            "--library",
            "bieb",
            "--municipality",
            "Biebstad",
            "--elsewhere",
        ]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=[
            "create-user",
            "New@Bieb.example",
            "--role",
            "volunteer",
            "--library",
            "bieb",
            "--branch",
            "bieb-c",
            "--password",
            PASSWORD,
            "--name",
            "Nieuwe vrijwilliger",
        ]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=["create-user", "coord@bieb.example", "--role", "coordinator", "--library", "bieb"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output  # the password was prompted for
    with app.app_context():
        branch = db.session.scalar(db.select(Branch).where(Branch.code == "bieb-c"))
        assert branch.library.name == "Bibliotheek Bieb" and not branch.in_library
        assert branch.municipality == "Biebstad"
        user = db.session.scalar(db.select(User).where(User.email == "new@bieb.example"))
        assert [b.code for b in user.branches] == ["bieb-c"] and user.role == "volunteer"


def _counts(app):
    with app.app_context():
        return tuple(
            db.session.scalar(db.select(db.func.count()).select_from(m))
            for m in (Library, Branch, User)
        )


BAD_ARGUMENTS = [
    (["create-library", "lib-a", "Dubbel"], "Er bestaat al een bibliotheek met code lib-a."),
    (["create-library", "Met Spatie", "X"], "Een code bestaat uit 1 tot 40 kleine letters"),
    (
        ["create-branch", "x1", "X", "--library", "geen", "--municipality", "M"],
        "Er is geen bibliotheek met code geen.",
    ),
    (
        ["create-branch", "a1", "X", "--library", "lib-a", "--municipality", "M"],
        "Er bestaat al een vestiging met code a1.",
    ),
    (
        ["create-branch", "x1", "X", "--library", "lib-a", "--municipality", " "],
        "Vul de gemeente in",
    ),
    (
        [
            "create-user",
            "geen-adres",
            "--role",
            "volunteer",
            "--library",
            "lib-a",
            "--password",
            PASSWORD,
        ],
        "geen-adres is geen geldig e-mailadres.",
    ),
    (
        [
            "create-user",
            "x@a.example",
            "--role",
            "volunteer",
            "--library",
            "lib-a",
            "--password",
            "kort",
        ],
        "Een wachtwoord heeft minstens 12 tekens.",
    ),
    (
        [
            "create-user",
            "vol@a.example",
            "--role",
            "volunteer",
            "--library",
            "lib-a",
            "--password",
            PASSWORD,
        ],
        "Er bestaat al een gebruiker met e-mailadres vol@a.example.",
    ),
    (
        ["create-user", "x@a.example", "--role", "volunteer", "--password", PASSWORD],
        "Een vrijwilliger of coördinator hoort bij een bibliotheek.",
    ),
    (
        [
            "create-user",
            "x@a.example",
            "--role",
            "volunteer",
            "--library",
            "lib-a",
            "--branch",
            "b1",
            "--password",
            PASSWORD,
        ],
        "alleen werken in vestigingen van de eigen",
    ),
    (
        [
            "create-user",
            "x@a.example",
            "--role",
            "volunteer",
            "--library",
            "lib-a",
            "--branch",
            "zz",
            "--password",
            PASSWORD,
        ],
        "Er is geen vestiging met code zz.",
    ),
    (
        ["create-user", "x@a.example", "--role", "baas", "--password", PASSWORD],
        "Invalid value for '--role'",
    ),
    (
        [
            "create-user",
            "x@a.example",
            "--role",
            "coordinator",
            "--library",
            "lib-a",
            "--password",
            "x@a.example",
        ],
        "Een wachtwoord heeft minstens 12 tekens.",
    ),
    (
        [
            "create-user",
            "longname@a.example",
            "--role",
            "coordinator",
            "--library",
            "lib-a",
            "--password",
            "longname@a.example",
        ],
        "Het wachtwoord mag niet uw e-mailadres zijn.",
    ),
    (
        [
            "create-user",
            "x@a.example",
            "--role",
            "coordinator",
            "--library",
            "lib-a",
            "--password",
            "password1234",
        ],
        "te makkelijk te raden",
    ),
    (
        [
            "create-user",
            "x@a.example",
            "--role",
            "coordinator",
            "--library",
            "lib-a",
            "--password",
            "welkom123456",
        ],
        "te makkelijk te raden",
    ),
]


@pytest.mark.once  # refused in Python before any query
@pytest.mark.parametrize(("args", "message"), BAD_ARGUMENTS)
def test_bad_arguments_fail_clearly_and_change_nothing(runner, app, org, args, message):
    before = _counts(app)
    result = runner.invoke(args=args)
    usage_error = message.startswith("Invalid value")  # click refuses it before the command runs
    assert result.exit_code == (2 if usage_error else 1), (args, result.output)
    assert message in result.output, (args, result.output)
    assert _counts(app) == before


@pytest.mark.slow  # a year of demo questions
def test_seed_demo_once(runner, app):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "coordinator@demo.example" in result.output and "demo-wachtwoord" in result.output
    with app.app_context():
        total = db.session.scalar(db.select(db.func.count(Question.id)))
        assert total > 1500  # a year of weekdays at three branches
        topic_counts = dict(
            db.session.execute(
                db.select(Topic.code, db.func.count()).join(Question.topics).group_by(Topic.code)
            ).all()
        )
        top_three = sorted(topic_counts, key=topic_counts.get, reverse=True)[:3]
        assert top_three[0] == "digid" and "apparaat" in top_three
        municipalities = db.session.scalars(db.select(Branch.municipality).distinct())
        assert sorted(municipalities) == ["Meerwijk", "Rivierstad"]
        weekend = [
            q for q in db.session.scalars(db.select(Question)) if q.local_date.weekday() >= 5
        ]
        assert weekend == []
        # Inserted in bulk, then brought in step: each question's code copies match its links.
        linked = db.select(Question).options(
            *(
                selectinload(getattr(Question, name))
                for name in ("topics", "agencies", "referrals", "help")
            )
        )
        copies = [
            (q.topic_codes, q.agency_codes, q.referral_codes, q.help_codes)
            for q in db.session.scalars(linked)
        ]
        assert copies == [
            (
                joined_codes(q.topics),
                joined_codes(q.agencies),
                joined_codes(q.referrals),
                joined_codes(q.help),
            )
            for q in db.session.scalars(linked)
        ]
        assert any(referrals for _, _, referrals, _ in copies)
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "already exists" in again.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Question.id))) == total
