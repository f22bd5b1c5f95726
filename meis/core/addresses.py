"""Absolute addresses for links that leave the site: messages, PDFs, QR codes.

A phone cannot open "/az/my/awards/": every link a person receives is the site's public address
(`PUBLIC_BASE_URL`, or `https://` + the first allowed host) followed by the page's path.
"""

from __future__ import annotations

from django.conf import settings


def public_base_url() -> str:
    """The site's public address, without a trailing slash."""
    configured: str = settings.PUBLIC_BASE_URL
    return configured or f"https://{settings.ALLOWED_HOSTS[0]}"


def public_url(path: str) -> str:
    """`path` as an absolute address on the public site (an absolute address is kept)."""
    if not path.startswith("/"):
        return path
    return public_base_url() + path
