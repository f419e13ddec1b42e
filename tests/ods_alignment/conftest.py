"""Fixtures of the SDG alignment tests: the official catalogue (loaded once per session,
committed like the session world), SDG specialists, and shared initiatives to align."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import IndexItem
from ods_alignment.models import AlignmentCase
from ods_alignment.services import case_open
from tenants import services as tenant_services
from tenants.accounts.models import User
from tenants.roles import PlatformRole
from tests.community.factories import make_item
from tests.conftest import PASSWORD, World


@dataclass
class Team:
    w: World
    ana: User  # SDG specialist
    ben: User  # SDG specialist
    cai: User  # SDG specialist
    lead: User  # lead specialist (adjudicates)


def specialist(email: str, name: str) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, full_name=name)
    tenant_services.platform_role_grant(actor=None, user=user, role=PlatformRole.SDG_SPECIALIST)
    return user


@pytest.fixture
def team(w: World, sdg_catalogue: None) -> Team:
    return Team(
        w=w,
        ana=specialist("ana@ods.test", "Ana Especialista"),
        ben=specialist("ben@ods.test", "Ben Especialista"),
        cai=specialist("cai@ods.test", "Cai Especialista"),
        lead=specialist("lider@ods.test", "Lía Líder"),
    )


def initiative(w: World, **fields: object) -> IndexItem:
    fields.setdefault("title", "Agua potable para las veredas")
    fields.setdefault("text", "Acueducto rural y saneamiento básico para las familias de las veredas.")
    return make_item(w.alfa, **fields)


def open_case(team: Team, item: IndexItem | None = None, days: int = 10) -> AlignmentCase:
    return case_open(
        actor=team.w.regional,
        item=item or initiative(team.w),
        specialists=[team.ana, team.ben],
        lead=team.lead,
        deadline=timezone.localdate() + timedelta(days=days),
    )
