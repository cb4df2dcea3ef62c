"""Settings kept sealed in the database (a provider's client secret): encrypted and
authenticated with Fernet (AES with an HMAC), with a key derived from SECRET_KEY per purpose
(HKDF-SHA256), so a copy of the database alone does not give them away. The key in use seals;
it and those of SECRET_KEY_FALLBACKS (a key being rotated) open."""

import base64
from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:
    from cryptography.fernet import MultiFernet

# cryptography (6 MiB of a worker's memory) is imported when a secret is first sealed or opened.


def _fernet(purpose: str) -> "MultiFernet":
    from cryptography.fernet import Fernet, MultiFernet  # noqa: PLC0415
    from cryptography.hazmat.primitives import hashes  # noqa: PLC0415
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF  # noqa: PLC0415

    fallbacks = current_app.config.get("SECRET_KEY_FALLBACKS") or []
    keys = [current_app.config["SECRET_KEY"], *fallbacks]
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    HKDF(
                        algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()
                    ).derive(str(key).encode())
                )
            )
            for key in keys
        ]
    )


def seal(text: str, purpose: str) -> str:
    """The text encrypted for storage, with the key of SECRET_KEY for this purpose."""
    return _fernet(purpose).encrypt(text.encode()).decode()


def unseal(sealed: str, purpose: str) -> str | None:
    """The text, or None when no key (SECRET_KEY or a fallback) opens it."""
    from cryptography.fernet import InvalidToken  # noqa: PLC0415

    try:
        return _fernet(purpose).decrypt(sealed.encode()).decode()
    except (InvalidToken, ValueError):
        return None
