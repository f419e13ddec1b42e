from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tenants.accounts import ratelimit


class RateLimitedTooMany(ValidationError):
    pass


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Correo electrónico"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        "invalid_login": _("El correo o la contraseña no son correctos. Revise ambos e intente de nuevo."),
        "inactive": _("Esta cuenta está desactivada."),
        "rate_limited": _(
            "Demasiados intentos fallidos. Por seguridad, espere %(minutes)s minuto(s) antes de intentar de nuevo."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = self.data.get("username", "") or ""
        wait = ratelimit.retry_after(self.request, username)  # type: ignore[arg-type]
        if wait:
            self.rate_limited = True
            raise RateLimitedTooMany(
                self.error_messages["rate_limited"], code="rate_limited", params={"minutes": max(1, -(-wait // 60))}
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            ratelimit.record_failure(self.request, username)  # type: ignore[arg-type]
            raise
        ratelimit.clear_account(self.request, username)  # type: ignore[arg-type]
        return cleaned


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Nombre completo"), max_length=150)
    password1 = forms.CharField(
        label=_("Contraseña"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), strip=False
    )
    password2 = forms.CharField(
        label=_("Repita la contraseña"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), strip=False
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("Las dos contraseñas no coinciden."))
        return cleaned
