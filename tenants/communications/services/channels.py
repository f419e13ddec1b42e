"""Writes on publication channels. Credentials are encrypted before they reach the database
and are never read back to a page or the API: an empty field keeps what is stored.

A channel's credentials go wherever its address and account say. So changing either on an
existing channel drops the stored credentials unless new ones come in the same save:
otherwise whoever may edit a channel could point it at a server of their own and receive
the token on the next publication. For the same reason the networks' addresses are fixed,
and a webhook must be a public https service (`check_endpoint`, run again at send time),
except in development or where an operator allows custom addresses."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from tenants.accounts.models import User
from tenants.audit import audit
from tenants.communications import access, crypto
from tenants.communications.adapters import adapter_for
from tenants.communications.models import Channel, ChannelKind
from tenants.service_utils import bump, lock, required
from tenants.structure.validation import clean_text, collect, raise_if

# The kinds whose address is the network's own API (adapter.default_endpoint).
FIXED_ENDPOINT_KINDS = frozenset({ChannelKind.FACEBOOK, ChannelKind.X})


def web_channel() -> Channel:
    """The built-in news page; every municipality has it."""
    found = Channel.objects.filter(kind=ChannelKind.WEB).first()
    return found or Channel.objects.create(kind=ChannelKind.WEB, name=str(ChannelKind.WEB.label))


def custom_endpoints_allowed() -> bool:
    """Development and tests point channels at local servers; production does not."""
    return bool(settings.DEBUG or getattr(settings, "COMMUNICATIONS_ALLOW_CUSTOM_ENDPOINTS", False))


def _address_problem(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address is not a public service's, in words, or None if it is one."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback or address.is_unspecified:
        return _("el propio servidor")
    if address.is_link_local:
        return _("una dirección de enlace local")
    if address.is_reserved or address.is_multicast:
        return _("una dirección reservada")
    if address.is_private:
        return _("una red privada")
    if not address.is_global:  # shared (carrier) address space, documentation ranges...
        return _("una dirección reservada")
    return None


def check_endpoint(url: str) -> str | None:
    """Why the platform must not send to `url`, or None. Outside development (or unless
    COMMUNICATIONS_ALLOW_CUSTOM_ENDPOINTS is on) a service must be https and every address
    its host resolves to must be public: never the server itself, the municipality's or the
    provider's internal network, nor the cloud's metadata service. Resolved on each call,
    so calling it again just before sending also catches a name that changed since."""
    if custom_endpoints_allowed():
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return _("La dirección no es válida.")
    if parts.scheme != "https":
        return _("La dirección debe empezar por https://.")
    host = parts.hostname
    if not host:
        return _("La dirección no indica el servidor.")
    try:
        found = socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError):
        return _("No se encontró el servidor «%(host)s».") % {"host": host}
    for _family, _type, _proto, _name, sockaddr in found:
        try:
            address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        except ValueError:
            return _("No se encontró el servidor «%(host)s».") % {"host": host}
        problem = _address_problem(address)
        if problem is not None:
            return _("«%(host)s» apunta a %(problem)s (%(address)s); solo se puede enviar a servicios públicos.") % {
                "host": host,
                "problem": problem,
                "address": address,
            }
    return None


def channel_save(
    *,
    actor: User | None,
    data: Mapping[str, Any],
    credentials: Mapping[str, str] | None = None,
    channel: Channel | None = None,
    version: int | None = None,
) -> Channel:
    access.require_channel_manager(actor)
    with transaction.atomic():
        fresh = lock(channel, version) if channel is not None else None
        current = {n: getattr(fresh, n) for n in ("kind", "name", "is_active", "endpoint_url", "account",
                                                  "max_length")} if fresh else {}  # fmt: skip
        merged = {**current, **data}
        errors: dict[str, list[str]] = {}
        kind = str(merged.get("kind") or "")
        if kind not in ChannelKind.values:
            errors["kind"] = [_("Elija el tipo de canal.")]
            raise_if(errors)
        if fresh is not None and kind != fresh.kind:
            errors["kind"] = [_("El tipo de un canal no cambia; cree otro canal.")]
        if fresh is None and kind == ChannelKind.WEB and Channel.objects.filter(kind=ChannelKind.WEB).exists():
            errors["kind"] = [_("El municipio ya tiene su página de noticias.")]
        adapter = adapter_for(kind)
        name = collect(errors, "name", required, merged.get("name"), max_length=120)
        endpoint = collect(errors, "endpoint_url", clean_text, merged.get("endpoint_url"), max_length=500)
        if kind in FIXED_ENDPOINT_KINDS and not custom_endpoints_allowed():
            # The network's own API, whatever was stored or sent: only that address may
            # receive the page's token.
            given_endpoint = clean_text(data.get("endpoint_url"), max_length=500) if "endpoint_url" in data else ""
            if given_endpoint and given_endpoint.rstrip("/") != adapter.default_endpoint.rstrip("/"):
                errors["endpoint_url"] = [
                    _("La dirección de %(kind)s es fija: %(url)s.")
                    % {"kind": ChannelKind(kind).label, "url": adapter.default_endpoint}
                ]
            endpoint = adapter.default_endpoint
        if endpoint and not endpoint.startswith(("https://", "http://")):
            errors["endpoint_url"] = [_("Indique una dirección web que empiece por https://.")]
        if adapter.needs_endpoint and not endpoint:
            errors["endpoint_url"] = [_("Indique la dirección a la que se envían las publicaciones.")]
        new_endpoint = endpoint or adapter.default_endpoint
        endpoint_changed = fresh is None or new_endpoint != fresh.endpoint_url
        if "endpoint_url" not in errors and new_endpoint and endpoint_changed and kind not in FIXED_ENDPOINT_KINDS:
            problem = check_endpoint(new_endpoint)
            if problem is not None:
                errors["endpoint_url"] = [problem]
        account = collect(errors, "account", clean_text, merged.get("account"), max_length=200)
        if adapter.needs_account and not account:
            errors["account"] = [_("Indique la página o cuenta en la que se publica.")]
        max_length = merged.get("max_length")
        if max_length is not None and (not isinstance(max_length, int) or not 1 <= max_length <= 1_000_000):
            errors["max_length"] = [_("Indique un número de caracteres entre 1 y 1000000.")]
        given = {k: (v or "").strip() for k, v in (credentials or {}).items()}
        # Credentials: a field left empty keeps the stored value, unless the channel now
        # sends somewhere else (another address or account): then they are dropped, so the
        # token of one page never goes to another place without being typed again.
        moved = fresh is not None and (new_endpoint != fresh.endpoint_url or account != fresh.account)
        previous: dict[str, Any] = {}
        if fresh is not None and fresh.credentials_encrypted:
            try:
                previous = crypto.decrypt(fresh.credentials_encrypted)
            except crypto.UnreadableCredentials:
                previous = {}
        new_credentials = {} if moved else dict(previous)
        for cf in adapter.credential_fields:
            value = given.get(cf.name, "")
            if len(value) > 4000:
                errors[cf.name] = [_("Admite como máximo %(n)s caracteres.") % {"n": 4000}]
            elif value:
                new_credentials[cf.name] = value
        raise_if(errors)
        target = fresh or Channel(kind=kind)
        if fresh is not None:
            bump(target)
        target.name, target.is_active = name, bool(merged.get("is_active", True))
        target.endpoint_url = new_endpoint
        target.account = account
        target.max_length = max_length if kind == ChannelKind.WEBHOOK else None
        kept = {k: v for k, v in new_credentials.items() if k in {cf.name for cf in adapter.credential_fields}}
        target.credentials_encrypted = crypto.encrypt(kept)
        target.save()
        dropped = sorted(set(previous) - set(kept)) if moved else []
        audit(
            actor=actor, action="channel.created" if fresh is None else "channel.changed", object_type="channel",
            object_id=target.pk, name=target.name, credentials_changed=sorted(k for k, v in given.items() if v),
            credentials_dropped=dropped,
        )  # fmt: skip
    return target


def missing_credentials(channel: Channel) -> list[str]:
    """Labels of the credentials a channel still lacks (or cannot read)."""
    fields = adapter_for(channel.kind).credential_fields
    if not fields:
        return []
    try:
        stored = crypto.decrypt(channel.credentials_encrypted)
    except crypto.UnreadableCredentials:
        stored = {}
    return [str(cf.label) for cf in fields if not stored.get(cf.name)]
