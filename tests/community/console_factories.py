"""Detected groups for the console and workspace tests, made directly (detection has its
own tests): items via factories.make_item, then a Group with its GroupMember rows."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from community.models import Group, GroupKind, GroupMember, IndexItem, ItemKind
from tenants.models import Municipality

_names = itertools.count(1)


def make_group(items: Sequence[IndexItem], *, name: str = "", **fields: Any) -> Group:
    kind = GroupKind.PROBLEM if items and items[0].kind == ItemKind.RESTRICTION else GroupKind.THEME
    defaults: dict[str, Any] = {
        "kind": kind,
        "auto_name": name or f"Grupo detectado {next(_names)}",
        "strength": 0.75,
        "reasons": {"terms": ["agua"], "sdg_targets": ["6.1"], "themes": []},
        "change": {},
    }
    defaults.update(fields)
    group = Group.objects.create(**defaults)
    GroupMember.objects.bulk_create([GroupMember(group=group, item=i, score=0.8) for i in items])
    return group


def bare_municipality(slug: str, *, active: bool = True, name: str = "") -> Municipality:
    """A municipality row without a schema: enough for index items in the public schema."""
    return Municipality.objects.create(
        name=name or f"Municipio {slug.title()}",
        slug=slug,
        schema_name=slug,
        country="PE",
        region="Cusco",
        time_zone="America/Lima",
        is_active=active,
    )
