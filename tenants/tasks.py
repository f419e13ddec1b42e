"""Background work of the tenancy layer. Tasks take ids, look up, and call a service or
send; they are enqueued with transaction.on_commit."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from tenants import services
from tenants.audit import audit
from tenants.links import workspace_url
from tenants.models import Invitation


@shared_task(name="tenants.send_invitation_email", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation_email(*, invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("municipality").filter(pk=invitation_id).first()
    if invitation is None:
        return
    # The token is made here, so it never travels through the broker; a retry makes a new
    # one (the previous email was never sent).
    token = services.invitation_issue_token(invitation=invitation)
    if token is None:
        return
    municipality = invitation.municipality
    with translation.override(municipality.default_language):
        context = {
            "invitation": invitation,
            "municipality": municipality,
            "url": workspace_url(municipality, f"/cuenta/invitacion/{token}/"),
        }
        subject = render_to_string("tenants/email/invitation_subject.txt", context).strip()
        body = render_to_string("tenants/email/invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    # Recorded in the schema the invitation was sent from (the task carries it): inside a
    # municipality its activity shows that the email left; from provisioning, the platform's.
    audit(
        actor=None, action="invitation.email_sent", object_type="invitation", object_id=invitation.pk,
        slug=municipality.slug,
    )  # fmt: skip
