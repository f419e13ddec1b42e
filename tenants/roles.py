"""Roles of the SIGOBito method (municipal) and of the platform (DESIGN.md §2)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MunicipalRole(models.TextChoices):
    MAYOR = "mayor", _("Titular (alcalde o alcaldesa)")
    AGENDA_MANAGER = "agenda_manager", _("Gestión de agenda")
    INITIATIVE_MANAGER = "initiative_manager", _("Gerencia de iniciativa")
    INSTITUTIONAL_FOLLOW_UP = "institutional_follow_up", _("Seguimiento institucional")
    COMMUNICATIONS_EDITOR = "communications_editor", _("Edición de comunicación")
    SYSTEM_COUNTERPART = "system_counterpart", _("Contraparte del sistema (administración)")


class PlatformRole(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("Administración de la plataforma")
    REGIONAL_TEAM = "regional_team", _("Equipo regional")
    SDG_SPECIALIST = "sdg_specialist", _("Especialista ODS")


# The regional team runs the community layer (console, vocabulary, detection, SDG workflow);
# platform administrators may do what it does.
REGIONAL_ROLES = frozenset({PlatformRole.REGIONAL_TEAM, PlatformRole.PLATFORM_ADMIN})
# Who works in the SDG alignment workflow: specialists, and the regional team that runs it.
SDG_ROLES = REGIONAL_ROLES | {PlatformRole.SDG_SPECIALIST}

# Who may manage a workspace's members (invite, change roles).
MEMBER_MANAGERS = frozenset({MunicipalRole.SYSTEM_COUNTERPART, MunicipalRole.MAYOR})
