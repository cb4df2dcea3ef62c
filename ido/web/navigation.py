"""Redirect targets that stay on this site."""

from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """The target if it is a path on this site, else None (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target
