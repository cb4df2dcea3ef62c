"""A real OpenID Connect provider for the tests: npm's oidc-provider (OpenID Certified) run by
Node from tests/oidc/ (`make test` installs it there with `npm ci`). One per test session;
the accounts and clients below are its whole configuration."""

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urljoin

import pytest
import requests

from ido.core.db import db
from ido.core.models import Library
from ido.core.organisation.work_accounts import set_provider

HERE = Path(__file__).parent / "oidc"
SECRET = "client-secret-of-the-test-provider-0123456789"
CLIENTS = {  # client id: what the provider does to its ID tokens
    "ido": None,
    "ido-expired": "expired",  # expired five minutes ago
    "ido-audience": "audience",  # for another client
}
ACCOUNTS = [  # e-mail, verified by the provider
    ("vol@a.example", True),
    ("coord@a.example", True),
    ("vol2@a.example", False),
    ("vol@b.example", True),
    ("stranger@a.example", True),
]
CALLBACK = "http://127.0.0.1/auth/work-account/callback"  # any port on 127.0.0.1 (RFC 8252)


@pytest.fixture(scope="session")
def oidc_provider():
    """The provider's issuer URL and clients while the session runs."""
    node = shutil.which("node")
    if node is None or not (HERE / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("the test provider needs Node and `npm ci` in tests/oidc (make test does it)")
    config = {
        "clients": [
            {"client_id": c, "client_secret": SECRET, "redirect_uris": [CALLBACK], "tamper": t}
            for c, t in CLIENTS.items()
        ],
        "accounts": [{"email": e, "email_verified": v} for e, v in ACCOUNTS],
    }
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            [node, str(HERE / "provider.mjs"), json.dumps(config)],
            cwd=HERE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        line = process.stdout.readline()
        if not line:
            process.wait()
            log.seek(0)
            pytest.fail(f"the test provider did not start: {log.read()[-2000:]}")
        yield SimpleNamespace(issuer=json.loads(line)["issuer"], secret=SECRET)
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def give_provider(
    app, issuer, client_id="ido", required=False, library="lib-a", domains="a.example"
):
    with app.app_context():
        lib = db.session.scalar(db.select(Library).where(Library.code == library))
        set_provider(lib, issuer, client_id, SECRET, domains, "email_verified", required, None)
        db.session.commit()


def at_provider(browser: requests.Session, url: str, login: str, app_url: str) -> str:
    """Sign in at the provider as `login`; the address it sends back to the app (not
    followed)."""
    for _ in range(10):
        response = browser.get(url, allow_redirects=False)
        if response.status_code == 200 and 'name="login"' in response.text:
            action = re.search(r'action="([^"]+)"', response.text)[1]
            response = browser.post(
                urljoin(url, action), data={"login": login}, allow_redirects=False
            )
        assert response.status_code in (302, 303), response.text[:500]
        url = urljoin(url, response.headers["Location"])
        if url.startswith(app_url):
            return url
    raise AssertionError("the provider never sent back")
