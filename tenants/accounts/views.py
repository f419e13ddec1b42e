from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.accounts.forms import AcceptInvitationForm, LoginForm
from tenants.models import Invitation
from tenants.services import hash_token, invitation_accept


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_invalid(form)
        if getattr(form, "rate_limited", False):
            response.status_code = 429
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Join a municipality from an emailed invitation (only on that municipality's host)."""
    municipality = getattr(request, "municipality", None)
    # Looked up within this host's municipality: another municipality's token is "not found".
    invitation = (
        Invitation.objects.select_related("municipality")
        .filter(token_hash=hash_token(token), municipality=municipality)
        .first()
        if municipality is not None
        else None
    )
    valid = (
        invitation is not None
        and not invitation.accepted_at
        and not invitation.revoked_at
        and invitation.expires_at > timezone.now()
    )
    if not valid:
        return render(request, "accounts/invitation_invalid.html", status=410 if invitation else 404)
    assert invitation is not None
    from tenants.accounts.models import User

    account = User.objects.filter(email__iexact=invitation.email).first()
    needs_password = account is None or not account.has_usable_password()
    form = AcceptInvitationForm(request.POST or None) if needs_password else None
    error = ""
    if request.method == "POST":
        try:
            if form is not None:
                if form.is_valid():
                    user = invitation_accept(
                        invitation=invitation,
                        full_name=form.cleaned_data["full_name"],
                        password=form.cleaned_data["password1"],
                    )
                else:
                    raise ValidationError("")
            else:
                user = invitation_accept(
                    invitation=invitation, user=request.user if request.user.is_authenticated else None
                )  # type: ignore[arg-type]
        except ValidationError as exc:
            if form is not None and hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            elif str(exc.messages[0] if exc.messages else ""):
                error = exc.messages[0]
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Bienvenido/a a %(name)s.") % {"name": invitation.municipality.name})
            return redirect("home")
    context: dict[str, Any] = {
        "invitation": invitation,
        "form": form,
        "error": error,
        "account_exists": not needs_password,
        "logged_in_as_invitee": request.user.is_authenticated
        and request.user.email.lower() == invitation.email.lower(),  # type: ignore[union-attr]
    }
    return render(request, "accounts/accept_invitation.html", context)
