"""Forms of the public accountability pages and of opinion moderation. They parse; the
opinion services validate (length, links, spam, rate limit) and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.initiatives.models import OpinionStatus

# The honeypot's field name: a plausible one, so that form-filling scripts fill it. People
# never see it (the template hides it from screens and assistive technology alike).
HONEYPOT_FIELD = "sitio_web"
# The signed timestamp the page hands out (services.form_token()); rendered by the
# template, not by the form, so that a page shown again after an error carries a new one.
TOKEN_FIELD = "token"  # noqa: S105 (a form field name, not a secret)


class OpinionForm(forms.Form):
    # Neither field is required here: the service checks them and words the errors, so
    # that the page and any other caller refuse the same things with the same messages.
    author_name = forms.CharField(
        label=_("Su nombre (opcional)"),
        required=False,
        strip=False,
        help_text=_("Si lo deja vacío, su opinión se publicará sin nombre."),
        widget=forms.TextInput(attrs={"maxlength": 100, "autocomplete": "name"}),
    )
    text = forms.CharField(
        label=_("Su opinión"),
        required=False,
        strip=False,
        help_text=_("Entre 10 y 2000 caracteres. Se publicará cuando el municipio la revise."),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
    )


# The moderation page's actions and what each one asks of the service.
MODERATION_ACTIONS = {
    "publish": OpinionStatus.APPROVED,
    "reject": OpinionStatus.REJECTED,
    "reply": OpinionStatus.APPROVED,  # publish with a reply, or edit the reply of a published one
}


class ModerationForm(forms.Form):
    action = forms.ChoiceField(choices=[(key, key) for key in MODERATION_ACTIONS])
    # Absent (None) keeps the current reply; present, even empty, replaces it.
    reply = forms.CharField(label=_("Respuesta pública del municipio"), required=False, strip=False)
    # The list the moderator came from, to go back to it.
    back = forms.ChoiceField(choices=OpinionStatus.choices, required=False)
