"""The initiative pages, as each role uses them, and isolation between municipalities."""

from __future__ import annotations

from tenants.db import use_municipality, use_public_schema
from tenants.initiatives import services
from tenants.initiatives.models import Aro, AroKind, AroType, Initiative
from tests.conftest import World, client_for
from tests.initiatives.conftest import make_initiative


def _seed(w: World) -> tuple[Initiative, Aro]:
    use_municipality(w.alfa)
    initiative, milestones = make_initiative(w, close=True)
    aro = services.aro_raise(
        actor=None, initiative=initiative, milestone=milestones[0], kind=AroKind.RESTRICTION,
        aro_type=AroType.objects.get(key="financial"), description="Falta el desembolso del crédito",
    )  # fmt: skip
    use_public_schema()
    return initiative, aro


def test_every_page_renders_for_a_member(w: World) -> None:
    initiative, aro = _seed(w)
    client = client_for(w.manager_alfa, w.alfa)
    pk = initiative.pk
    for url in [
        "/iniciativas/", "/iniciativas/nueva/", "/iniciativas/guia/", "/iniciativas/configuracion/",
        "/iniciativas/nivel/1/", "/iniciativas/nivel/2/", "/iniciativas/nivel/3/",
        f"/iniciativas/{pk}/", f"/iniciativas/{pk}/editar/", f"/iniciativas/{pk}/metas/nueva/",
        f"/iniciativas/{pk}/reporte/", f"/iniciativas/{pk}/aro/nueva/", f"/iniciativas/{pk}/aro/{aro.pk}/",
    ]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(f"/iniciativas/{pk}/").content.decode()
    assert "Falta el desembolso" in page
    assert "Atrasada" in page  # an open restriction makes its milestone late


def test_non_member_sees_nothing_of_another_municipality(w: World) -> None:
    initiative, aro = _seed(w)
    beta_admin = client_for(w.admin_beta, w.alfa)
    for url in [
        "/iniciativas/",
        f"/iniciativas/{initiative.pk}/",
        f"/iniciativas/{initiative.pk}/aro/{aro.pk}/",
        "/iniciativas/nivel/1/",
    ]:
        assert beta_admin.get(url).status_code == 404, url
    # In Beta's own workspace, Alfa's ids do not exist.
    own = client_for(w.admin_beta, w.beta)
    assert own.get(f"/iniciativas/{initiative.pk}/").status_code == 404
    assert "Agua potable" not in own.get("/iniciativas/").content.decode()
    assert "Falta el desembolso" not in own.get("/iniciativas/nivel/1/").content.decode()


def test_onboarding_counts_initiatives_and_links_to_them(w: World) -> None:
    client = client_for(w.admin_alfa, w.alfa)
    html = client.get("/estructura/").content.decode()
    assert 'href="/iniciativas/"' in html
    assert "Próximamente" not in html
    assert "1 registro" not in html
    _seed(w)
    assert "1 registro" in client.get("/estructura/").content.decode()
