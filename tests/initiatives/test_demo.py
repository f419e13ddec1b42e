"""The demo portfolio: every demo municipality shows the lights in several states, ARO at
the levels of escalation, reprogramming, evidence, reports and citizens' opinions."""

from __future__ import annotations

from tenants.accounts.models import User
from tenants.db import use_municipality, use_public_schema
from tenants.demo import MUNICIPALITIES, demo_email, load_demo
from tenants.initiatives import selectors
from tenants.initiatives.demo import load_initiatives
from tenants.initiatives.models import (
    Aro,
    AroKind,
    DateChange,
    DateChangeKind,
    Initiative,
    Milestone,
    OpinionStatus,
    WeeklyReport,
)
from tenants.initiatives.rules import Light
from tenants.models import Municipality
from tenants.roles import MunicipalRole
from tests.conftest import World, client_for


def test_demo_portfolio_has_every_kind_of_light_and_a_decision_for_the_mayor(w: World) -> None:
    load_demo()
    for demo in MUNICIPALITIES:
        municipality = Municipality.objects.get(slug=demo.slug)
        use_municipality(municipality)
        count = Initiative.objects.count()
        assert 4 <= count <= 6
        load_initiatives(slug=demo.slug, people={})  # already loaded: changes nothing
        assert Initiative.objects.count() == count

        lights = {state.light for state in selectors.portfolio()}
        assert len(lights - {Light.NONE}) >= 3, (demo.slug, lights)
        assert Light.LATE in lights and Light.AT_RISK in lights
        level3 = selectors.level_queue(3)
        assert any(aro.kind == AroKind.RESTRICTION for aro, _state in level3), demo.slug
        assert selectors.level_queue(2), demo.slug
        assert Aro.objects.filter(is_open=True, level=1).exists()
        reprogrammed = DateChange.objects.filter(kind=DateChangeKind.REPROGRAMMING, restriction__isnull=False)
        assert reprogrammed.exclude(reason="").exists()
        assert Milestone.objects.filter(completed_on__isnull=False).exclude(evidence_text="").exists()
        assert not Milestone.objects.filter(depends_on__isnull=True, position__gt=1).exists()  # finish-to-start
        assert WeeklyReport.objects.filter(lines__isnull=False).exists()
        assert Initiative.objects.filter(is_public=True).count() >= 2
        assert Initiative.objects.filter(share_with_community=True).exists()
        published = selectors.opinions_for_moderation(OpinionStatus.APPROVED).exclude(reply="")
        assert published.exists()
        use_public_schema()

        mayor = User.objects.get(email=demo_email(demo.slug, MunicipalRole.MAYOR))
        client = client_for(mayor, municipality)
        portfolio = client.get("/iniciativas/")
        assert portfolio.status_code == 200
        assert portfolio.content.decode().count('class="light light-late"') >= 2
        page = client.get("/iniciativas/nivel/3/")
        assert page.status_code == 200 and "Restricción" in page.content.decode()
