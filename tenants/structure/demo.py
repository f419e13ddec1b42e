"""Demo structure for the three demo municipalities: real-looking divisions, government
plan axes, actors and the management network. Loaded through the services; idempotent."""

from __future__ import annotations

from typing import Any

from tenants.accounts.models import User
from tenants.roles import MunicipalRole as R
from tenants.structure import services
from tenants.structure.models import Actor, Area, NetworkMember, Place, PlaceLevel, PlaceLevelSet, Theme

THEMES = [
    ("E1", "Desarrollo económico local", "#0b5394", None),
    ("E1.1", "Turismo comunitario", "#3d85c6", "E1"),
    ("E1.2", "Agricultura familiar", "#3d85c6", "E1"),
    ("E1.2.1", "Riego y cosecha de agua", "#6fa8dc", "E1.2"),
    ("E2", "Servicios básicos", "#38761d", None),
    ("E2.1", "Agua potable y saneamiento", "#6aa84f", "E2"),
    ("E2.2", "Manejo de residuos sólidos", "#6aa84f", "E2"),
    ("E3", "Desarrollo social", "#990000", None),
    ("E3.1", "Salud preventiva", "#cc0000", "E3"),
    ("E3.2", "Educación y primera infancia", "#cc0000", "E3"),
    ("E3.3", "Juventud y deporte", "#cc0000", "E3"),
    ("E4", "Gobernanza y transparencia", "#674ea7", None),
    ("E4.1", "Participación ciudadana", "#8e7cc3", "E4"),
]

# slug -> (level sets: name -> levels), places: (code, name, level, parent, population, lon, lat)
DIVISIONS: dict[str, dict[str, Any]] = {
    "san-miguel": {
        "levels": {"División territorial": ["Zona", "Colonia o aldea"]},
        "places": [
            ("Z1", "Zona 1 - Centro", "Zona", None, 14_300, -90.7340, 14.5580),
            ("Z2", "Zona 2 - El Calvario", "Zona", None, 11_900, -90.7290, 14.5520),
            ("Z3", "Zona 3 - Rural norte", "Zona", None, 22_000, -90.7400, 14.5800),
            ("C-SL", "Aldea San Lorenzo El Cubo", "Colonia o aldea", "Z3", 6_100, -90.7520, 14.5900),
            ("C-SF", "Colonia San Felipe", "Colonia o aldea", "Z1", 4_200, -90.7330, 14.5640),
            ("C-EP", "Aldea El Pensativo", "Colonia o aldea", "Z2", 3_800, -90.7180, 14.5480),
        ],
    },
    "villa-esperanza": {
        "levels": {"Zona urbana": ["Comuna", "Barrio"], "Zona rural": ["Corregimiento", "Vereda"]},
        "places": [
            ("CM1", "Comuna 1 - Centro", "Comuna", None, 9_800, -73.3620, 5.5350),
            ("CM2", "Comuna 2 - La Esperanza", "Comuna", None, 6_400, -73.3550, 5.5300),
            ("B-SJ", "Barrio San José", "Barrio", "CM1", 2_300, -73.3630, 5.5370),
            ("B-LP", "Barrio La Pradera", "Barrio", "CM2", 1_900, -73.3540, 5.5280),
            ("CR1", "Corregimiento El Roble", "Corregimiento", None, 4_100, -73.3900, 5.5600),
            ("V-AL", "Vereda Alto del Águila", "Vereda", "CR1", 850, -73.4000, 5.5700),
            ("V-PM", "Vereda Pie de Monte", "Vereda", "CR1", 640, -73.3850, 5.5750),
        ],
    },
    "puerto-azul": {
        "levels": {"División política": ["Corregimiento", "Barriada"]},
        "places": [
            ("PA-CAB", "Puerto Azul Cabecera", "Corregimiento", None, 14_900, -80.4300, 8.4000),
            ("PA-RH", "Río Hato Abajo", "Corregimiento", None, 9_700, -80.1700, 8.3800),
            ("PA-EC", "El Caño", "Corregimiento", None, 7_200, -80.5100, 8.4200),
            ("BR-LM", "Barriada La Marina", "Barriada", "PA-CAB", 3_300, -80.4250, 8.3950),
            ("BR-VE", "Barriada Villa del Este", "Barriada", "PA-CAB", 2_100, -80.4200, 8.4050),
        ],
    },
}

ACTORS = [
    ("institution", "Centro de Salud Municipal", "Ministerio de Salud", "Directora", "high", ["E3.1"]),
    ("institution", "Escuela Oficial Rural Mixta", "Ministerio de Educación", "Director", "medium", ["E3.2"]),
    ("institution", "Cooperativa Agrícola La Unión", "Cooperativa", "Presidente", "high", ["E1.2", "E1.2.1"]),
    ("population_group", "Asociación de Mujeres Emprendedoras", "", "", "high", ["E1.1", "E4.1"]),
    ("population_group", "Consejo de Jóvenes", "", "", "medium", ["E3.3", "E4.1"]),
    ("population_group", "Adultos mayores del casco urbano", "", "", "medium", ["E3.1"]),
    ("individual", "Marcos Tzul Ixcoy", "Junta comunitaria", "Líder comunitario", "medium", ["E2.1"]),
    ("institution", "Comité de Agua Potable", "Comité comunitario", "Tesorera", "high", ["E2.1"]),
]

AREAS = [
    ("DES", "Despacho del alcalde", None),
    ("PLA", "Secretaría de Planificación", "DES"),
    ("OBR", "Dirección de Obras Públicas", "DES"),
    ("SOC", "Dirección de Desarrollo Social", "DES"),
    ("COM", "Oficina de Comunicación", "DES"),
    ("SIS", "Unidad de Informática", "PLA"),
]
POSITIONS = [
    ("ALC", "Alcalde o alcaldesa", "DES"),
    ("SEC-DES", "Secretaría del despacho", "DES"),
    ("DIR-PLA", "Director(a) de Planificación", "PLA"),
    ("GER-OBR", "Gerente de proyectos", "OBR"),
    ("DIR-SOC", "Director(a) de Desarrollo Social", "SOC"),
    ("JEF-COM", "Jefe(a) de Comunicación", "COM"),
    ("ENC-SIS", "Encargado(a) de informática", "SIS"),
    ("TEC-OBR", "Técnico(a) de campo", "OBR"),
]
# Method role -> position code of the demo person who holds it.
ROLE_POSITION = {
    R.MAYOR: "ALC",
    R.AGENDA_MANAGER: "SEC-DES",
    R.INITIATIVE_MANAGER: "GER-OBR",
    R.INSTITUTIONAL_FOLLOW_UP: "DIR-PLA",
    R.COMMUNICATIONS_EDITOR: "JEF-COM",
    R.SYSTEM_COUNTERPART: "ENC-SIS",
}


def load_structure(*, slug: str, people: dict[str, tuple[str, str]]) -> None:
    """Fill the current municipality's schema. `people`: role -> (full name, email)."""
    if Theme.objects.exists():
        return
    themes: dict[str, Theme] = {}
    for code, name, colour, parent in THEMES:
        themes[code] = services.theme_save(
            actor=None, data={"code": code, "name": name, "colour": colour, "parent": themes.get(parent or "")}
        )
    division = DIVISIONS[slug]
    for set_name, level_names in division["levels"].items():
        if not PlaceLevelSet.objects.filter(name=set_name).exists():
            services.place_level_set_save(actor=None, name=set_name, levels=level_names)
    places: dict[str, Place] = {}
    for code, name, level_name, parent, population, lon, lat in division["places"]:
        places[code] = services.place_save(
            actor=None,
            data={
                "code": code, "name": name, "level": PlaceLevel.objects.get(name=level_name),
                "parent": places.get(parent or ""), "population": population,
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
            },
        )  # fmt: skip
    place_list = list(places.values())
    for index, (kind, name, organisation, position, relevance, theme_codes) in enumerate(ACTORS):
        if not Actor.objects.filter(name=name).exists():
            services.actor_save(
                actor=None,
                data={
                    "kind": kind, "name": name, "organisation": organisation, "position": position,
                    "relevance": relevance, "themes": [themes[c] for c in theme_codes],
                    "places": [place_list[index % len(place_list)]],
                    "email": f"contacto{index + 1}@{slug}.example.org" if kind != "population_group" else "",
                    "phone": f"+502 5{index}00 {1000 + index}" if slug == "san-miguel" else "",
                },
            )  # fmt: skip
    areas: dict[str, Area] = {}
    for code, name, parent in AREAS:
        areas[code] = services.area_save(
            actor=None, data={"code": code, "name": name, "parent": areas.get(parent or "")}
        )
    positions = {
        code: services.position_save(actor=None, data={"code": code, "name": name, "area": areas[area]})
        for code, name, area in POSITIONS
    }
    for role, (full_name, email) in people.items():
        user = User.objects.filter(email__iexact=email).first()
        if not NetworkMember.objects.filter(email=email).exists():
            services.network_member_save(
                actor=None,
                data={"full_name": full_name, "email": email, "roles": [role], "user": user,
                      "position": positions[ROLE_POSITION[R(role)]]},
            )  # fmt: skip
    services.network_member_save(
        actor=None, data={"full_name": "Técnico de campo (sin cuenta)", "roles": [], "position": positions["TEC-OBR"]}
    )
