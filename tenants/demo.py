"""Demo data: three realistic municipalities with one person per role, and the platform
team. Idempotent, so `./dev start` can run it every time. Later capabilities extend it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from tenants import services
from tenants.accounts.models import User
from tenants.models import Membership, Municipality
from tenants.roles import MunicipalRole, PlatformRole

DEMO_PASSWORD = "sigobito-demo-2026"  # noqa: S105 (documented demo password)


@dataclass(frozen=True)
class DemoMunicipality:
    slug: str
    name: str
    country: str
    region: str
    population: int
    time_zone: str
    people: dict[str, str]  # role -> full name


MUNICIPALITIES = [
    DemoMunicipality(
        "san-miguel",
        "San Miguel del Valle",
        "GT",
        "Sacatepéquez",
        48_200,
        "America/Guatemala",
        {
            MunicipalRole.MAYOR: "Rosa Elena Quiñónez",
            MunicipalRole.AGENDA_MANAGER: "Héctor Xicará López",
            MunicipalRole.INITIATIVE_MANAGER: "Mariela Sut Pérez",
            MunicipalRole.INSTITUTIONAL_FOLLOW_UP: "Óscar Ajú Morales",
            MunicipalRole.COMMUNICATIONS_EDITOR: "Lucía Batz Cifuentes",
            MunicipalRole.SYSTEM_COUNTERPART: "Fernando Chavajay Ruiz",
        },
    ),
    DemoMunicipality(
        "villa-esperanza",
        "Villa Esperanza",
        "CO",
        "Boyacá",
        23_500,
        "America/Bogota",
        {
            MunicipalRole.MAYOR: "Jorge Alberto Sáenz Peña",
            MunicipalRole.AGENDA_MANAGER: "Diana Carolina Rincón",
            MunicipalRole.INITIATIVE_MANAGER: "Camilo Andrés Buitrago",
            MunicipalRole.INSTITUTIONAL_FOLLOW_UP: "Luz Marina Ávila",
            MunicipalRole.COMMUNICATIONS_EDITOR: "Natalia Cárdenas Mora",
            MunicipalRole.SYSTEM_COUNTERPART: "Julián Esteban Gómez",
        },
    ),
    DemoMunicipality(
        "puerto-azul",
        "Puerto Azul",
        "PA",
        "Coclé",
        31_800,
        "America/Panama",
        {
            MunicipalRole.MAYOR: "Itzel María Batista",
            MunicipalRole.AGENDA_MANAGER: "Ricardo Arosemena Vega",
            MunicipalRole.INITIATIVE_MANAGER: "Yaneth González Castillo",
            MunicipalRole.INSTITUTIONAL_FOLLOW_UP: "Eduardo Him Sánchez",
            MunicipalRole.COMMUNICATIONS_EDITOR: "Gisela Pinzón Ortega",
            MunicipalRole.SYSTEM_COUNTERPART: "Abdiel Quintero Ríos",
        },
    ),
]

# Role -> the local part of the demo email (Spanish, as the people would say it).
ROLE_MAILBOX = {
    MunicipalRole.MAYOR: "titular",
    MunicipalRole.AGENDA_MANAGER: "agenda",
    MunicipalRole.INITIATIVE_MANAGER: "iniciativas",
    MunicipalRole.INSTITUTIONAL_FOLLOW_UP: "seguimiento",
    MunicipalRole.COMMUNICATIONS_EDITOR: "comunicacion",
    MunicipalRole.SYSTEM_COUNTERPART: "contraparte",
}

PLATFORM_PEOPLE = [
    ("admin@sigobito.example.org", "Ana Lucía Herrera", PlatformRole.PLATFORM_ADMIN),
    ("regional@sigobito.example.org", "Martín Olivera Castro", PlatformRole.REGIONAL_TEAM),
    ("ods@sigobito.example.org", "Paula Andrade Ríos", PlatformRole.SDG_SPECIALIST),
]


def demo_email(slug: str, role: str) -> str:
    return f"{ROLE_MAILBOX[MunicipalRole(role)]}@{slug}.example.org"


def _person(email: str, full_name: str) -> User:
    user, _ = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
    user.full_name = full_name
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["full_name", "password"])
    return user


def load_demo() -> list[str]:
    """Create (or refresh) the demo data; returns lines describing what exists."""
    lines: list[str] = []
    with transaction.atomic():
        for email, name, role in PLATFORM_PEOPLE:
            user = _person(email, name)
            if role == PlatformRole.PLATFORM_ADMIN and not user.is_superuser:
                user.is_superuser = True
                user.save(update_fields=["is_superuser"])
            services.platform_role_grant(actor=None, user=user, role=role)
    for demo in MUNICIPALITIES:
        counterpart = demo.people[MunicipalRole.SYSTEM_COUNTERPART]
        if not Municipality.objects.filter(slug=demo.slug).exists():
            services.municipality_create(
                actor=None,
                name=demo.name,
                slug=demo.slug,
                country=demo.country,
                region=demo.region,
                population=demo.population,
                time_zone=demo.time_zone,
                admin_email=demo_email(demo.slug, MunicipalRole.SYSTEM_COUNTERPART),
                admin_name=counterpart,
                admin_password=DEMO_PASSWORD,
            )
        municipality = Municipality.objects.get(slug=demo.slug)
        with transaction.atomic():
            for municipal_role, full_name in demo.people.items():
                user = _person(demo_email(demo.slug, municipal_role), full_name)
                Membership.objects.get_or_create(user=user, municipality=municipality, role=municipal_role)
        lines.append(f"{demo.name}: {demo.slug}.<platform domain>")
    return lines
