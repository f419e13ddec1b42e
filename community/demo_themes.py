"""Demo vocabulary and mappings: the regional team's themes, and the demo municipalities'
own themes (tenants/structure/demo.py) mapped to them as a person would have confirmed.
Both go through the services and are idempotent; the demo command calls them."""

from __future__ import annotations

from community import services_themes as services
from community.models import MappingStatus, PlatformTheme, ThemeMapping
from community.theme_similarity import DEMO_CONFIRM_THRESHOLD
from tenants.db import public_tenant, use_municipality, use_public_schema
from tenants.models import Municipality

VOCABULARY: list[tuple[str, str]] = [
    (
        "Agua potable y saneamiento",
        "Acceso a agua segura, acueductos, alcantarillado y tratamiento de aguas residuales.",
    ),
    ("Gestión de residuos sólidos", "Recolección, reciclaje y disposición final de basura y desechos."),
    ("Salud pública y prevención", "Atención primaria, promoción de la salud y prevención de enfermedades."),
    (
        "Educación y primera infancia",
        "Acceso y calidad de la educación, escuelas, cuidado y desarrollo de la niñez.",
    ),
    ("Juventud, deporte y recreación", "Oportunidades para jóvenes, espacios deportivos y recreativos."),
    ("Desarrollo económico local y empleo", "Emprendimiento, empleo, comercio local y cadenas productivas."),
    ("Turismo sostenible", "Turismo comunitario, rural y cultural que deja ingresos en el territorio."),
    (
        "Agricultura familiar y seguridad alimentaria",
        "Producción agropecuaria de pequeña escala, riego, cosecha de agua y acceso a alimentos.",
    ),
    ("Gobierno abierto y transparencia", "Transparencia, rendición de cuentas, acceso a la información y gobernanza."),
    ("Participación ciudadana", "Presupuestos participativos, consejos comunitarios y consulta a la población."),
    ("Movilidad y vialidad", "Caminos, calles, transporte público y seguridad vial."),
    ("Ambiente y cambio climático", "Protección de ecosistemas, reforestación y adaptación al cambio climático."),
    ("Gestión del riesgo de desastres", "Prevención, preparación y respuesta ante emergencias y desastres."),
    ("Vivienda y ordenamiento territorial", "Vivienda digna, barrios, uso del suelo y planificación urbana."),
    ("Seguridad ciudadana y convivencia", "Prevención de la violencia y convivencia pacífica."),
    (
        "Igualdad de género e inclusión",
        "Derechos de las mujeres, personas con discapacidad y grupos en situación de vulnerabilidad.",
    ),
]


def seed_vocabulary() -> None:
    """Create the demo vocabulary; entries that exist (by name, any case) are left alone, so
    the regional team's later edits survive a re-run."""
    existing = {name.lower() for name in PlatformTheme.objects.values_list("name", flat=True)}
    for name, description in VOCABULARY:
        if name.lower() not in existing:
            services.platform_theme_create(actor=None, name=name, description=description)


def _local_themes(municipality: Municipality) -> list[dict[str, object]]:
    """The municipality's active themes, read in its own schema (then back to where we were)."""
    from tenants.structure.models import Theme

    previous = public_tenant()
    use_municipality(municipality)
    try:
        return [
            {"id": pk, "name": name, "description": description}
            for pk, name, description in Theme.objects.filter(is_active=True).values_list("pk", "name", "description")
        ]
    finally:
        if isinstance(previous, Municipality):
            use_municipality(previous)
        else:
            use_public_schema()


def confirm_demo_mappings(municipality: Municipality) -> int:
    """Suggest mappings for the municipality's themes and confirm the clear ones (as its
    counterpart would); weaker suggestions stay for someone to review on the mapping page.
    Returns how many were confirmed by this call."""
    themes = _local_themes(municipality)
    services.ensure_suggestions(municipality=municipality, themes=themes)
    names = {t["id"]: str(t["name"]) for t in themes}
    confirmed = 0
    pending = ThemeMapping.objects.filter(
        municipality=municipality,
        status=MappingStatus.SUGGESTED,
        platform_theme__is_active=True,
        score__gte=DEMO_CONFIRM_THRESHOLD,
        local_theme_id__in=list(names),
    ).select_related("platform_theme")
    for row in pending:
        services.mapping_confirm(
            actor=None,
            municipality=municipality,
            local_theme_id=row.local_theme_id,
            local_theme_name=names[row.local_theme_id],
            platform_theme=row.platform_theme,
        )
        confirmed += 1
    return confirmed
