"""Writes on publication channels. Credentials are encrypted before they reach the database
and are never read back to a page or the API: an empty field keeps what is stored."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tenants.accounts.models import User
from tenants.audit import audit
from tenants.communications import access, crypto
from tenants.communications.adapters import adapter_for
from tenants.communications.models import Channel, ChannelKind
from tenants.service_utils import bump, lock, required
from tenants.structure.validation import clean_text, collect, raise_if


def web_channel() -> Channel:
    """The built-in news page; every municipality has it."""
    found = Channel.objects.filter(kind=ChannelKind.WEB).first()
    return found or Channel.objects.create(kind=ChannelKind.WEB, name=str(ChannelKind.WEB.label))


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
        if endpoint and not endpoint.startswith(("https://", "http://")):
            errors["endpoint_url"] = [_("Indique una dirección web que empiece por https://.")]
        if adapter.needs_endpoint and not endpoint:
            errors["endpoint_url"] = [_("Indique la dirección a la que se envían las publicaciones.")]
        account = collect(errors, "account", clean_text, merged.get("account"), max_length=200)
        if adapter.needs_account and not account:
            errors["account"] = [_("Indique la página o cuenta en la que se publica.")]
        max_length = merged.get("max_length")
        if max_length is not None and (not isinstance(max_length, int) or not 1 <= max_length <= 1_000_000):
            errors["max_length"] = [_("Indique un número de caracteres entre 1 y 1000000.")]
        # Credentials: a field left empty keeps the stored value.
        stored: dict[str, Any] = {}
        if fresh is not None and fresh.credentials_encrypted:
            try:
                stored = crypto.decrypt(fresh.credentials_encrypted)
            except crypto.UnreadableCredentials:
                stored = {}
        given = {k: (v or "").strip() for k, v in (credentials or {}).items()}
        new_credentials = dict(stored)
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
        target.endpoint_url = endpoint or adapter.default_endpoint
        target.account = account
        target.max_length = max_length if kind == ChannelKind.WEBHOOK else None
        target.credentials_encrypted = crypto.encrypt(
            {k: v for k, v in new_credentials.items() if k in {cf.name for cf in adapter.credential_fields}}
        )
        target.save()
        audit(
            actor=actor, action="channel.created" if fresh is None else "channel.changed", object_type="channel",
            object_id=target.pk, name=target.name, credentials_changed=sorted(k for k, v in given.items() if v),
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
