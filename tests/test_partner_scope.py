"""Another library's local partners are never named to library A: every page and export that
A's people reach by following links (and every API answer) is searched for B's partner."""

import io
import re
import zipfile
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import pytest

from ido.core.db import db
from ido.core.organisation.tokens import create_token
from ido.core.taxonomy import save_category
from ido.core.timeutil import now_local

from .helpers import branch, store_question, user

SECRET_NAME = "Schuldhulp Bdorp Vertrouwelijk"
SECRET_CODE = "schuld-bdorp"
SKIP = ("/auth/logout", "/static/", "/language", "/desk/sw.js")


@pytest.fixture
def partner_of_b(org):
    """Library B's coordinator adds a partner and refers a visitor to it, this month and in
    an earlier one; library A has questions of its own."""
    with org.app_context():
        library_b = branch("b1").library_id
        values = {"code": SECRET_CODE, "name_nl": SECRET_NAME, "name_en": SECRET_NAME}
        values |= {"kind": "partner", "library_id": library_b}
        save_category("agency", None, values, library_b, user("coord@b.example"))
        db.session.commit()
        now = now_local().astimezone(UTC)
        for moment in (now, datetime(2026, 2, 10, 10, 0, tzinfo=UTC)):
            referral = "lib-b." + SECRET_CODE  # as the library's own partners are stored
            store_question("b1", moment, ["digid"], referrals=[referral], agencies=["uwv"])
            store_question("a1", moment, ["digid"], referrals=["uwv"])
    return org


def _links(html: str, base: str) -> set[str]:
    found = set()
    for href in re.findall(r'(?:href|action)="([^"#]+)"', html):
        url = urljoin(base, href.replace("&amp;", "&"))
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost") or parts.path.startswith(SKIP):
            continue
        found.add(parts.path + ("?" + parts.query if parts.query else ""))
    return found


def _text(response) -> str:
    """What a person can read in the answer: the page, the CSV, the sheets of an XLSX."""
    body = response.get_data()
    if body[:2] == b"PK":  # an XLSX: its shared strings and sheets
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return " ".join(archive.read(name).decode() for name in archive.namelist())
    return body.decode("utf-8", "replace").replace("\u00ad", "")  # a tile's soft hyphens


def _walk(client, start: list[str], limit: int = 400) -> dict[str, int]:
    """Follow every same-site link and GET form action from the start pages; path: status."""
    seen: dict[str, int] = {}
    queue = list(start)
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response.status_code
        text = _text(response)
        assert SECRET_NAME not in text, path
        assert SECRET_CODE not in text, path
        if response.mimetype == "text/html":
            queue.extend(sorted(_links(text, "http://localhost" + path) - set(seen)))
    return seen


EXPORTS = [
    "/reports/national",
    "/reports/national?month=2026-02",
    "/reports/monthly.csv?by=referral&from=2026-01&to=2026-12",
    "/reports/monthly.csv?by=agency&from=2026-01&to=2026-12&dialect=excel-nl",
    "/reports/monthly.xlsx?from=2026-01&to=2026-12",
    "/reports/questions.csv?from=2026-01-01&to=2026-12-31",
    "/reports/municipality?municipality=Astad&period=2026",
]


@pytest.mark.parametrize("email", ["coord@a.example", "vol@a.example", "vol2@a.example"])
def test_library_a_never_sees_the_partners_of_library_b(partner_of_b, client, email, auth):
    auth.login(email)
    seen = _walk(client, ["/", "/desk/", "/reports/", "/admin/", *EXPORTS])
    assert not [path for path, status in seen.items() if status >= 500]
    if email.startswith("coord"):
        assert "/reports/national" in seen and seen["/reports/national"] == 200
        assert len(seen) > 30  # the walk reached the reports and the administration


def test_the_api_never_names_the_partners_of_another_library(partner_of_b, client):
    with partner_of_b.app_context():
        token = create_token(user("coord@a.example"), "scope")[1]
        db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    for path in (
        "/api/v1/taxonomy",
        "/api/v1/counts?by=referral&from=2026-01&to=2026-12",
        "/api/v1/counts?by=agency&from=2026-01&to=2026-12",
        "/api/v1/questions?from=2026-01-01&to=2026-12-31",
    ):
        response = client.get(path, headers=headers)
        assert response.status_code == 200, (path, response.get_data(as_text=True)[:300])
        assert SECRET_NAME not in response.get_data(as_text=True), path
        assert SECRET_CODE not in response.get_data(as_text=True), path


def test_library_b_sees_its_own_partner_on_the_national_page(partner_of_b, client, auth):
    """The check above would pass on a page that names no partner at all."""
    auth.login("coord@b.example")
    assert SECRET_NAME in client.get("/reports/national").get_data(as_text=True)
