from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tenants.models import Country
from tenants.roles import MunicipalRole
from tenants.validators import validate_slug, validate_time_zone


class MunicipalityCreateForm(forms.Form):
    """Input for provisioning. The service validates everything again (it is shared with the
    API and the command); the same validators run here so that a person sees every
    problem of the form at once."""

    name = forms.CharField(label=_("Nombre del municipio"), max_length=150)
    slug = forms.CharField(
        label=_("Identificador"),
        max_length=40,
        validators=[validate_slug],
        help_text=_("Se usa en la dirección: identificador.%(domain)s. Minúsculas, números y guiones.")
        % {"domain": settings.PLATFORM_DOMAIN},
    )
    country = forms.ChoiceField(label=_("País"), choices=[("", "—"), *Country.choices])
    region = forms.CharField(label=_("Región (departamento, provincia o estado)"), max_length=120, required=False)
    population = forms.IntegerField(label=_("Población"), min_value=0, required=False)
    time_zone = forms.CharField(
        label=_("Zona horaria"),
        initial="America/Bogota",
        validators=[validate_time_zone],
        widget=forms.TextInput(attrs={"list": "time-zone-options", "autocomplete": "off"}),
        help_text=_("Por ejemplo, America/Guatemala."),
    )
    default_language = forms.ChoiceField(label=_("Idioma predeterminado"), choices=settings.LANGUAGES, initial="es")
    admin_email = forms.EmailField(label=_("Correo de la primera persona administradora"))
    admin_name = forms.CharField(label=_("Nombre de la primera persona administradora"), max_length=150, required=False)


class MunicipalityDeleteForm(forms.Form):
    confirm_slug = forms.CharField(label=_("Escriba el identificador del municipio para confirmar"), max_length=40)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Correo electrónico"))
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=MunicipalRole.choices, widget=forms.CheckboxSelectMultiple
    )


class MemberRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=MunicipalRole.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
