from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from tenants.accounts.forms import AcceptInvitationForm, LoginForm
from tenants.accounts.models import User, acting_user
from tenants.forms_util import apply_errors
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
    found = Invitation.objects.filter(token_hash=hash_token(token), municipality=municipality).first()
    invitation = (
        Invitation.objects.usable().filter(pk=found.pk).select_related("municipality").first() if found else None
    )
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=410 if found else 404)
    account = User.objects.filter(email__iexact=invitation.email).first()
    needs_password = account is None or not account.has_usable_password()
    form = AcceptInvitationForm(request.POST or None) if needs_password else None
    error = ""
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if form is not None:
                user = invitation_accept(
                    invitation=invitation,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                )
            else:
                user = invitation_accept(
                    invitation=invitation, user=acting_user(request) if request.user.is_authenticated else None
                )
        except ValidationError as exc:
            if form is not None and hasattr(exc, "error_dict"):
                apply_errors(form, exc)
            else:
                error = " ".join(exc.messages)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Bienvenido/a a %(name)s.") % {"name": invitation.municipality.name})
            return redirect("home")
    context: dict[str, Any] = {
        "invitation": invitation,
        "form": form,
        "error": error,
        "logged_in_as_invitee": account is not None and request.user.is_authenticated and request.user.pk == account.pk,
    }
    return render(request, "accounts/accept_invitation.html", context)
