"""A real OpenID Connect provider for the tests: npm's oidc-provider (OpenID Certified) run by
Node from tests/oidc/ (`make test` installs it there with `npm ci`). One per test session;
the accounts and clients below are its whole configuration."""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest

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
