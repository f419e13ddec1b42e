"""Demo data: three realistic municipalities with one person per role, and the platform
team. Idempotent, so `./dev start` can run it every time. Later capabilities extend it."""

from __future__ import annotations

from dataclasses import dataclass

from tenants import services
from tenants.accounts.services import user_create_or_update
from tenants.agenda.demo import load_agenda
from tenants.communications.demo import load_communications
from tenants.db import use_municipality, use_public_schema
from tenants.initiatives.demo import load_initiatives
from tenants.roles import MunicipalRole, PlatformRole
from tenants.selectors import municipality_by_slug
from tenants.structure.demo import load_structure

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


def load_demo() -> None:
    """Create (or refresh) the demo data through the same services people use."""
    from ods_alignment.catalogue import load_catalogue

    load_catalogue()  # the SDG catalogue (idempotent), as the deploy's migrate job does
    for email, name, platform_role in PLATFORM_PEOPLE:
        user = user_create_or_update(email=email, full_name=name, password=DEMO_PASSWORD)
        services.platform_role_grant(actor=None, user=user, role=platform_role)
    for demo in MUNICIPALITIES:
        if municipality_by_slug(demo.slug) is None:
            services.municipality_create(
                actor=None, name=demo.name, slug=demo.slug, country=demo.country, region=demo.region,
                population=demo.population, time_zone=demo.time_zone,
                admin_email=demo_email(demo.slug, MunicipalRole.SYSTEM_COUNTERPART),
                admin_name=demo.people[MunicipalRole.SYSTEM_COUNTERPART], admin_password=DEMO_PASSWORD,
            )  # fmt: skip
        municipality = municipality_by_slug(demo.slug)
        assert municipality is not None
        for municipal_role, full_name in demo.people.items():
            user = user_create_or_update(
                email=demo_email(demo.slug, municipal_role), full_name=full_name, password=DEMO_PASSWORD
            )
            services.membership_grant(actor=None, municipality=municipality, user=user, role=municipal_role)
        people = {role: (name, demo_email(demo.slug, role)) for role, name in demo.people.items()}
        use_municipality(municipality)
        try:
            load_structure(slug=demo.slug, people=people)
            load_initiatives(slug=demo.slug, people=people)
            load_agenda(slug=demo.slug, people=people)
            load_communications(slug=demo.slug, people=people)
        finally:
            use_public_schema()
    from community.demo import load_community

    load_community([demo.slug for demo in MUNICIPALITIES])
