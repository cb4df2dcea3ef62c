"""An OpenID Connect relying party with Authlib, for any provider: the authorization code
flow with PKCE (S256), `state` and `nonce`; the ID token's signature checked with the
provider's published keys (JWKS, from its discovery document) and its issuer, audience,
expiry, issue time, nonce and access-token hash checked by Authlib's `CodeIDToken`.

Discovery documents and key sets are kept per process for an hour; a token signed with a key
the kept set does not hold fetches the set again once (the provider rotated its keys)."""

import logging
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

log = logging.getLogger(__name__)
KEEP_SECONDS = 3600
TIMEOUT = 5  # seconds for each request to the provider
LEEWAY = 60  # seconds of clock difference taken for exp, iat and nbf
# Signatures by the provider's own published keys only: no "none", no shared secret (HS256).
ALGORITHMS = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"}
SCOPE = "openid email profile"

_kept: dict[str, tuple[float, dict]] = {}
_lock = threading.Lock()


class ProviderError(Exception):
    """The provider could not be reached, or answered what no provider may answer."""


class TokenRefused(Exception):
    """The code was refused, or the ID token failed a check; `reason` is for the log."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Client:
    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str

    def session(self, **extra) -> OAuth2Session:
        return OAuth2Session(
            self.client_id,
            self.client_secret,
            scope=SCOPE,
            redirect_uri=self.redirect_uri,
            code_challenge_method="S256",
            token_endpoint_auth_method="client_secret_basic",
            **extra,
        )


def _get_json(url: str, force: bool = False) -> dict:
    now = time.monotonic()
    with _lock:
        kept = _kept.get(url)
    if kept and not force and now - kept[0] < KEEP_SECONDS:
        return kept[1]
    try:
        response = requests.get(url, timeout=TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderError(f"{url}: {type(error).__name__}") from error
    if not isinstance(document, dict):
        raise ProviderError(f"{url}: not a JSON object")
    with _lock:
        _kept[url] = (now, document)
    return document


def origin(url: str) -> str:
    """The scheme, host and port of an address (what a Content-Security-Policy names)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def discovery(issuer: str) -> dict:
    """The provider's discovery document, which must name the same issuer."""
    document = _get_json(f"{issuer}/.well-known/openid-configuration")
    if origin(str(document.get("authorization_endpoint", ""))) != origin(issuer):
        raise ProviderError(f"{issuer} signs in on another host than its own")
    if document.get("issuer") != issuer:
        raise ProviderError(f"the discovery document of {issuer} names another issuer")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(document.get(key), str):
            raise ProviderError(f"the discovery document of {issuer} has no {key}")
    return document


def start(client: Client, login_hint: str) -> tuple[str, dict]:
    """The provider's authorization URL, and what the callback must find in the session."""
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    url, _state = client.session().create_authorization_url(
        discovery(client.issuer)["authorization_endpoint"],
        state=state,
        nonce=nonce,
        code_verifier=verifier,
        login_hint=login_hint,
    )
    return url, {"state": state, "nonce": nonce, "verifier": verifier}


def finish(client: Client, code: str, pending: dict) -> dict:
    """Exchange the code (with the PKCE verifier) and return the verified ID token's claims."""
    metadata = discovery(client.issuer)
    try:
        with client.session() as session:
            token = session.fetch_token(
                metadata["token_endpoint"],
                code=code,
                code_verifier=pending["verifier"],
                timeout=TIMEOUT,
            )
    except AuthlibBaseError as error:  # the provider's error answer (invalid_grant, say)
        raise TokenRefused(f"token endpoint: {error.error}") from error
    except requests.RequestException as error:
        raise ProviderError(f"token endpoint: {type(error).__name__}") from error
    if not isinstance(token.get("id_token"), str):
        raise TokenRefused("no id_token")
    return verify(client, metadata, token, pending["nonce"])


def verify(client: Client, metadata: dict, token: dict, nonce: str) -> dict:
    """The ID token's claims once its signature, issuer, audience, times and nonce hold."""
    offered = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = [a for a in offered if a in ALGORITHMS]
    try:
        try:
            decoded = jwt.decode(token["id_token"], _keys(metadata), algorithms)
        except InvalidKeyIdError:  # a key the kept set lacks: the provider rotated its keys
            decoded = jwt.decode(token["id_token"], _keys(metadata, force=True), algorithms)
        claims = CodeIDToken(
            decoded.claims,
            decoded.header,
            {
                "iss": {"essential": True, "value": client.issuer},
                "aud": {"essential": True, "value": client.client_id},
                "exp": {"essential": True},
            },
            {
                "nonce": nonce,
                "client_id": client.client_id,
                "access_token": token.get("access_token"),
            },
        )
        claims.validate(leeway=LEEWAY)
    except (JoseError, ValueError) as error:
        raise TokenRefused(f"id_token: {type(error).__name__} {error}") from error
    return dict(claims)


def _keys(metadata: dict, force: bool = False) -> KeySet:
    try:
        return KeySet.import_key_set(_get_json(metadata["jwks_uri"], force=force))  # type: ignore[arg-type]
    except (JoseError, ValueError, KeyError, TypeError) as error:
        raise ProviderError(f"unusable key set: {type(error).__name__}") from error
