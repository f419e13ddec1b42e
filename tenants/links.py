"""Absolute links to the platform and to workspaces, for emails and printed messages."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from tenants.models import Municipality


def _origin(host: str, request: HttpRequest | None) -> str:
    if request is not None:
        # Inside a request, links keep the scheme and port the person is using.
        scheme, port = request.scheme, request.get_port()
        default = "443" if scheme == "https" else "80"
    else:
        scheme, port, default = settings.PLATFORM_SCHEME, settings.PLATFORM_PORT, ""
    suffix = f":{port}" if port and port != default else ""
    return f"{scheme}://{host}{suffix}"


def domain_for(slug: str) -> str:
    """A municipality's host: `<slug>.<platform domain>`."""
    return f"{slug}.{settings.PLATFORM_DOMAIN}"


def workspace_url(municipality: Municipality, path: str = "/", request: HttpRequest | None = None) -> str:
    host = municipality.primary_domain or domain_for(municipality.slug)
    return _origin(host, request) + path


def safe_href(url: str) -> str:
    """`url` when it is a path on this site or an http(s) address, else "": no other scheme
    (javascript:, data:) nor a scheme-relative //host ever reaches an href."""
    return url if url.startswith(("https://", "http://", "/")) and not url.startswith("//") else ""


def portal_url(path: str = "/", request: HttpRequest | None = None) -> str:
    return _origin(settings.PLATFORM_DOMAIN, request) + path


def municipality_page_url(slug: str, path: str) -> str:
    """A page on a municipality's own host, from its slug alone (no domain query): what the
    community pages link to."""
    return _origin(domain_for(slug), None) + path
