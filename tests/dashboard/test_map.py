"""The dashboard's map: places with GeoJSON drawn as SVG inside the drawing, polygons as
paths and points as circles, places without coordinates only in the list, figures equal to
the lists they link to, optional tiles, and a fixed number of queries."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import Any

from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext, override_settings

from tenants.agenda import selectors_activities as agenda_reads
from tenants.agenda import services as agenda_services
from tenants.dashboard import maps
from tenants.db import local_today, use_municipality, use_public_schema
from tenants.initiatives import selectors as initiative_selectors
from tenants.structure.models import Place, PlaceLevel, PlaceLevelSet
from tests.agenda.conftest import in_days
from tests.conftest import World, client_for
from tests.initiatives.conftest import make_initiative

SVG = "{http://www.w3.org/2000/svg}"


def square(lon: float, lat: float, size: float = 0.01) -> dict[str, Any]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def levels() -> tuple[PlaceLevel, PlaceLevel]:
    level_set = PlaceLevelSet.objects.create(name="Territorio del mapa")
    return (
        PlaceLevel.objects.create(level_set=level_set, name="Distrito", rank=1),
        PlaceLevel.objects.create(level_set=level_set, name="Barrio", rank=2),
    )


def place(name: str, level: PlaceLevel, geometry: dict[str, Any] | None = None, **extra: Any) -> Place:
    return Place.objects.create(
        code=f"M{Place.objects.count() + 1}", name=name, level=level, geometry=geometry, **extra
    )


def activity(title: str, where: Place, days: int, *, public: bool = True) -> None:
    agenda_services.activity_save(
        actor=None,
        data={"title": title, "kind": "field_visit", "status": "confirmed", "is_public": public, "place": where,
              "starts_at": in_days(days, 9), "ends_at": in_days(days, 11)},
    )  # fmt: skip


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 - markup this code made
    assert root.tag == f"{SVG}svg" and root.get("width") == "100%"
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    return root


def view_box(root: ET.Element) -> tuple[float, float]:
    _x, _y, width, height = (float(v) for v in root.get("viewBox", "").split())
    return width, height


def test_the_projection_keeps_every_position_inside_the_drawing() -> None:
    geometries = [
        {"type": "Point", "coordinates": [-74.08, 4.60]},
        square(-74.20, 4.50, 0.05),
        {
            "type": "MultiPolygon",
            "coordinates": [square(-73.95, 4.70)["coordinates"], square(-74.0, 4.4)["coordinates"]],
        },
    ]
    project = maps.fit(geometries)
    assert maps.MIN_HEIGHT <= project.height <= maps.MAX_HEIGHT
    xs, ys = [], []
    for geometry in geometries:
        for ring in maps._positions(geometry):
            for lon, lat in ring:
                x, y = project(lon, lat)
                xs.append(x)
                ys.append(y)
    assert min(xs) >= maps.MARGIN - 0.01 and max(xs) <= project.width - maps.MARGIN + 0.01
    assert min(ys) >= maps.MARGIN - 0.01 and max(ys) <= project.height - maps.MARGIN + 0.01
    # North is up and east is right.
    assert project(-74.0, 4.6)[0] > project(-74.1, 4.6)[0]
    assert project(-74.0, 4.7)[1] < project(-74.0, 4.6)[1]
    # A single point gets an area around it, centred.
    alone = maps.fit([{"type": "Point", "coordinates": [-74.08, 4.60]}])
    x, y = alone(-74.08, 4.60)
    assert abs(x - alone.width / 2) < 1 and abs(y - alone.height / 2) < 1


def test_places_become_shapes_with_their_figures_and_the_rest_go_to_the_list(w: World) -> None:
    use_municipality(w.alfa)
    district, barrio = levels()
    north = place('Distrito <Norte> & "sur"', district, square(-74.10, 4.60, 0.05))
    inside = place("Barrio La Loma", barrio, square(-74.09, 4.61, 0.01), parent=north)
    plaza = place("Plaza central", barrio, {"type": "Point", "coordinates": [-74.06, 4.63]}, parent=north)
    islands = place(
        "Islas",
        district,
        {
            "type": "MultiPolygon",
            "coordinates": [square(-74.0, 4.5)["coordinates"], square(-73.98, 4.52)["coordinates"]],
        },
    )
    unmapped = place("Vereda sin coordenadas", barrio, None)
    place("Vereda vacía", barrio, None)  # no coordinates and nothing there: not listed
    archived = place("Antiguo barrio", barrio, square(-74.2, 4.4), is_active=False)  # archived, empty: not drawn

    water, _ms = make_initiative(w, name="Agua para la loma", places=[inside])
    roads, _ms = make_initiative(w, name="Vías", places=[north, unmapped])
    activity("Visita a la loma", inside, 2)
    activity("Reunión privada en la plaza", plaza, 5, public=False)
    activity("Más allá del mes", plaza, 40)
    activity("Ya pasó", plaza, -3)

    data = maps.map_context(today=local_today())["map"]
    assert data is not None
    rows = {p.name: p for p in data.places}
    assert set(rows) == {north.name, inside.name, plaza.name, islands.name, unmapped.name}
    assert archived.name not in rows
    # Initiatives: on the place itself; activities: the next 30 days, at the place or below it.
    assert (rows[inside.name].initiatives, rows[inside.name].activities) == (1, 1)
    assert (rows[north.name].initiatives, rows[north.name].activities) == (1, 2)
    assert (rows[plaza.name].initiatives, rows[plaza.name].activities) == (0, 1)
    assert (rows[unmapped.name].initiatives, rows[unmapped.name].on_map) == (1, False)
    assert [p.on_map for p in data.places].count(True) == 4

    root = parse(str(data.svg))
    assert root.get("role") == "group"
    width, height = view_box(root)
    paths = list(root.iter(f"{SVG}path"))
    circles = list(root.iter(f"{SVG}circle"))
    assert len(paths) == 3 and len(circles) == 1  # three areas (one with two parts), one point
    islands_path = next(p for p in paths if "Islas" in "".join(p.itertext()))
    assert islands_path.get("d", "").count("M") == 2 and islands_path.get("fill-rule") == "evenodd"
    for path in paths:
        numbers = [float(n) for n in path.get("d", "").replace("M", " ").replace("L", " ").replace("Z", " ").split()]
        assert all(0 <= n <= max(width, height) for n in numbers)
        coords = list(zip(numbers[::2], numbers[1::2], strict=True))
        assert all(0 <= x <= width and 0 <= y <= height for x, y in coords)
    for circle in circles:
        assert 0 <= float(circle.get("cx", -1)) <= width and 0 <= float(circle.get("cy", -1)) <= height
    drawn_text = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert north.name[:20] in drawn_text and unmapped.name not in str(data.svg)
    assert "&lt;Norte&gt;" in str(data.svg) and "<Norte>" not in str(data.svg)
    # Each non-zero figure is a link to its list, named in words.
    links = {a.get("href"): a.get("aria-label") for a in root.iter(f"{SVG}a")}
    assert rows[inside.name].initiatives_url in links and rows[inside.name].activities_url in links
    assert links[rows[north.name].activities_url] == f"2 actividades en {north.name} en los próximos 30 días"
    assert rows[plaza.name].initiatives_url not in links  # zero: no link

    html = render_to_string("dashboard/_map.html", {"map": data})
    assert "Vereda sin coordenadas" in html and "sin coordenadas" in html
    assert "Distrito &lt;Norte&gt; &amp; &quot;sur&quot;" in html
    assert html.count("<tr>") == 1 + 5 and "<caption id=" in html
    # The figures are those initiatives, on the place they are linked to.
    assert list(initiative_selectors.initiatives(place=inside.pk)) == [water]
    assert list(initiative_selectors.initiatives(place=north.pk)) == [roads]


def test_the_figures_equal_the_lists_they_link_to(w: World) -> None:
    use_municipality(w.alfa)
    district, barrio = levels()
    north = place("Norte", district, square(-74.10, 4.60, 0.05))
    inside = place("La Loma", barrio, square(-74.09, 4.61), parent=north)
    make_initiative(w, name="Agua", places=[inside])
    make_initiative(w, name="Vías", places=[north])
    activity("Pública", inside, 1)
    activity("Privada", inside, 3, public=False)
    activity("En el distrito", north, 4)
    today = local_today()
    for who in (w.mayor_alfa, w.editor_alfa):  # the editor does not see private activities
        data = maps.map_context(user=who, today=today)["map"]
        assert data is not None
        for row in data.places:
            shown = agenda_reads.filtered_activities(
                who, lugar=Place.objects.get(pk=row.pk), desde=today, hasta=today + timedelta(days=29)
            ).count()
            assert row.activities == shown, (who, row)
            assert row.initiatives == initiative_selectors.initiatives(place=row.pk).count()
    by_name = {p.name: p for p in maps.map_context(user=w.editor_alfa, today=today)["map"].places}  # type: ignore[union-attr]
    assert by_name["La Loma"].activities == 1 and by_name["Norte"].activities == 2
    # Through the pages themselves.
    mayor_rows = {p.name: p for p in maps.map_context(user=w.mayor_alfa, today=today)["map"].places}  # type: ignore[union-attr]
    use_public_schema()
    client = client_for(w.mayor_alfa, w.alfa)
    response = client.get(mayor_rows["Norte"].activities_url)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == mayor_rows["Norte"].activities == 3
    for name in ("La Loma", "Norte"):
        listed = client.get(mayor_rows[name].initiatives_url)
        assert listed.status_code == 200
        assert len(listed.context["rows"]) == mayor_rows[name].initiatives == 1
        assert name in listed.content.decode()


def test_without_places_there_is_no_map_and_without_coordinates_only_the_list(w: World) -> None:
    use_municipality(w.alfa)
    assert maps.map_context()["map"] is None
    _district, barrio = levels()
    place("Sin nada", barrio)
    assert maps.map_context()["map"] is None
    somewhere = place("Vereda", barrio)
    make_initiative(w, places=[somewhere])
    data = maps.map_context()["map"]
    assert data is not None and str(data.svg) == ""
    assert [p.name for p in data.places] == ["Vereda"]
    html = render_to_string("dashboard/_map.html", {"map": data})
    assert "<svg" not in html and "Vereda" in html and "Estructura" in html


def test_tiles_are_off_by_default_and_placed_when_configured(w: World) -> None:
    use_municipality(w.alfa)
    district, _barrio = levels()
    place("Centro", district, square(-74.10, 4.60, 0.05))
    data = maps.map_context()["map"]
    assert data is not None and "<image" not in str(data.svg)
    with override_settings(
        MAP_TILE_URL="https://tiles.example.org/{z}/{x}/{y}.png?k=a&b", MAP_TILE_ATTRIBUTION="© Colaboradores"
    ):
        data = maps.map_context()["map"]
    assert data is not None
    root = parse(str(data.svg))
    images = list(root.iter(f"{SVG}image"))
    assert 1 <= len(images) <= maps.MAX_TILES
    hrefs = [i.get("href", "") for i in images]
    assert all(h.startswith("https://tiles.example.org/") and h.endswith(".png?k=a&b") for h in hrefs)
    assert "&amp;b" in str(data.svg)  # escaped in the attribute
    # The tiles cover the whole drawing.
    width, height = view_box(root)
    lefts = [float(i.get("x", 0)) for i in images]
    tops = [float(i.get("y", 0)) for i in images]
    rights = [float(i.get("x", 0)) + float(i.get("width", 0)) for i in images]
    bottoms = [float(i.get("y", 0)) + float(i.get("height", 0)) for i in images]
    assert min(lefts) <= 0 and min(tops) <= 0 and max(rights) >= width and max(bottoms) >= height
    assert "© Colaboradores" in " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert data.attribution == "© Colaboradores"


def test_the_map_is_read_in_a_fixed_number_of_queries(w: World) -> None:
    use_municipality(w.alfa)
    district, barrio = levels()

    def grow(first: int, last: int) -> None:
        for n in range(first, last):
            parent = place(f"Distrito {n}", district, square(-74.1 + n / 50, 4.6, 0.015))
            child = place(
                f"Barrio {n}", barrio, {"type": "Point", "coordinates": [-74.09 + n / 50, 4.605]}, parent=parent
            )
            make_initiative(w, name=f"Iniciativa {n}", places=[parent, child], milestones=1)
            activity(f"Visita {n}", child, n % 20)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            maps.map_context(user=w.editor_alfa)
        return len(queries)

    grow(0, 1)
    small = count()
    grow(1, 10)
    assert count() == small <= 5
