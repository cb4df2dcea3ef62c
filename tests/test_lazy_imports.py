"""An idle worker holds only what serving needs: the libraries of rarer work (migrations, work
accounts, sealed secrets, QR codes, spreadsheets, PDFs) are imported when first used, and
what uses them still works."""

import subprocess
import sys

import pytest

from ido.core.models import AuditEvent

LAZY = ("alembic", "flask_migrate", "authlib", "cryptography", "segno", "openpyxl", "weasyprint")


@pytest.mark.once  # imports, no database work
def test_making_the_app_and_answering_a_page_imports_none_of_them(tmp_path):
    script = f"""
import sys
from ido import create_app
app = create_app({{"SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite:///{tmp_path}/a.sqlite"}})
with app.app_context():
    from ido.core.db import db
    db.create_all()
assert app.test_client().get("/auth/login").status_code == 200
print(",".join(sorted(m for m in {LAZY!r} if m in sys.modules)))
"""
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert found.stdout.strip() == ""


def test_the_db_commands_load_flask_migrate_when_asked(runner, app):
    answer = runner.invoke(args=["db", "current"])
    assert answer.exit_code == 0, answer.output
    answer = runner.invoke(args=["db", "--help"])
    assert answer.exit_code == 0 and "upgrade" in answer.output and "downgrade" in answer.output
    with app.app_context():  # the command changed nothing
        from ido.core.db import db

        assert db.session.scalar(db.select(db.func.count(AuditEvent.id))) == 0
