"""Privacy and robustness of the agenda, from its review: a private activity's title does not
travel through its request; requesters' personal data is for those who need it; odd times
and sizes are field errors; status changes follow rules; one private feed at a time."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from tenants.agenda import services
from tenants.agenda.models import ActivityStatus, FeedToken, Request, RequestStatus
from tenants.db import use_municipality, use_public_schema
from tests.agenda.conftest import in_days
from tests.conftest import World, client_for


def _accepted(w: World) -> Request:
    use_municipality(w.alfa)
    request = services.request_register(
        actor=None,
        data={"kind": "audience", "channel": "email", "subject": "Audiencia reservada con el gremio",
              "contact_name": "Luis Pérez", "contact_email": "luis@gremio.test", "contact_phone": "300 123",
              "proposed_start": in_days(2), "proposed_end": in_days(2, 10)},
        attachments=[SimpleUploadedFile("carta.pdf", b"%PDF-1.4 carta", content_type="application/pdf")],
    )  # fmt: skip
    accepted = services.request_transition(
        actor=None, request=request, to_status=RequestStatus.ACCEPTED,
        activity_data={"title": "Reunión privada con el gremio de comerciantes"},
    )  # fmt: skip
    use_public_schema()
    return accepted


def test_a_private_activity_title_and_personal_data_stay_with_those_allowed(w: World) -> None:
    request = _accepted(w)
    use_municipality(w.alfa)
    attachment = request.attachments.get()
    use_public_schema()
    manager = client_for(w.manager_alfa, w.alfa)  # initiative manager: neither agenda nor contacts
    page = manager.get(f"/agenda/solicitudes/{request.pk}/").content.decode()
    assert "Reunión privada con el gremio" not in page
    assert "Una actividad privada del titular" in page
    assert "luis@gremio.test" not in page and "300 123" not in page
    assert manager.get(f"/agenda/solicitudes/{request.pk}/adjuntos/{attachment.pk}/").status_code == 404
    api = manager.get(f"/api/v1/agenda/requests/{request.pk}/").json()
    assert api["activity_id"] is None and "contact_email" not in api and "attachments" not in api
    listed = manager.get("/api/v1/agenda/requests/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert all(row["activity_id"] is None for row in rows)
    # The agenda manager's side (here the mayor) sees all of it.
    mayor = client_for(w.mayor_alfa, w.alfa)
    page = mayor.get(f"/agenda/solicitudes/{request.pk}/").content.decode()
    assert "Reunión privada con el gremio" in page and "luis@gremio.test" in page
    assert mayor.get(f"/api/v1/agenda/requests/{request.pk}/").json()["activity_id"] == request.activity_id


def test_odd_times_and_sizes_are_field_errors(w: World) -> None:
    mayor = client_for(w.mayor_alfa, w.alfa)
    far = mayor.get("/api/v1/agenda/activities/?from=9999-12-31T23:59")
    assert far.status_code == 400
    assert mayor.get("/agenda/actividades/nueva/?desde=9999-12-31T23:30").status_code == 200
    body = {"kind": "audience", "channel": "email", "subject": "x", "contact_name": "Ana",
            "proposed_start": "9999-12-31T10:00"}  # fmt: skip
    response = mayor.post("/api/v1/agenda/requests/", body, content_type="application/json")
    assert response.status_code == 400 and "proposed_start" in response.json()
    long_email = "a" * 300 + "@example.org"
    response = mayor.post(
        "/api/v1/agenda/requests/", {**body, "proposed_start": None, "contact_email": long_email},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400 and "contact_email" in response.json()
    use_municipality(w.alfa)
    assert not Request.objects.exists()


def test_activity_status_changes_follow_rules(in_alfa: World) -> None:
    activity, _ = services.activity_save(
        actor=None, data={"title": "Feria", "kind": "event", "starts_at": in_days(-3), "ends_at": in_days(-3, 12)}
    )
    cancelled = services.activity_set_status(actor=None, activity=activity, status=ActivityStatus.CANCELLED)
    with pytest.raises(ValidationError) as exc:
        services.activity_set_status(actor=None, activity=cancelled, status=ActivityStatus.DONE)
    assert "status" in exc.value.message_dict
    again = services.activity_set_status(actor=None, activity=cancelled, status=ActivityStatus.TENTATIVE)
    assert again.status == ActivityStatus.TENTATIVE


def test_one_private_feed_address_at_a_time(in_alfa: World) -> None:
    services.feed_token_issue(user=in_alfa.mayor_alfa)
    services.feed_token_issue(user=in_alfa.mayor_alfa)
    assert FeedToken.objects.filter(user_id=in_alfa.mayor_alfa.pk, revoked_at__isnull=True).count() == 1
    # The database refuses a second active one even if the service were bypassed.
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedToken.objects.create(user_id=in_alfa.mayor_alfa.pk, token_hash="x" * 64)
