"""The dashboard's map: the municipality's places that have coordinates (GeoJSON Point,
Polygon or MultiPolygon on structure.Place.geometry) drawn as server-side SVG, each with
how many initiatives and activities (the next 30 days) are there and links to those lists.
A table with the same figures is always shown under it: it is the map's text equivalent and
the only view of places without coordinates.

Projection: Web Mercator (the projection of every web map's tiles), fitted to the bounds of
the shapes with a margin. At a municipality's scale it is indistinguishable from a plain
equirectangular fit, and it lets optional tiles line up without any JavaScript.

Tiles: off by default (no request leaves the platform). With `MAP_TILE_URL` set to a tile
server's template (`https://tiles.example.org/{z}/{x}/{y}.png`, for instance one the
municipality runs itself), the tiles that cover the view are placed under the shapes as
plain <image> elements; `MAP_TILE_ATTRIBUTION` is written on the map (most tile licences
require it). Without tiles, the shapes show on a plain background.

Counts equal the lists they link to:
- initiatives: those linked to the place itself, as `initiatives.selectors.initiatives(place=)`
  and the portfolio page's `?lugar=` filter;
- activities: those the viewer may see, sharing time with today … today + 29 days, at the
  place or a place below it, as the agenda list's `?lugar=&desde=&hasta=` filter does
  (cancelled ones included, as in that list).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from math import floor, log, log2, pi, radians, tan
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tenants.accounts.models import User
from tenants.agenda import selectors as agenda_selectors
from tenants.db import local_today
from tenants.initiatives.models import Initiative
from tenants.structure.models import Place

DAYS = 30  # activities: today and the next 29 days
WIDTH = 360  # drawing units; a phone shows them at about 0.95
MIN_HEIGHT, MAX_HEIGHT = 220, 480
MARGIN = 28
MIN_SPAN = 0.02 / 360  # about 2 km: a single point still gets a view around it
MAX_TILES = 48
BLUE = "#0b5394"
INK = "#1f2328"
MAX_NAME = 24
FIGURE_WIDTH = 100  # "12 actividades" at 13 units
LINE = 15  # between the lines of a label
NAME_SIZE, FIGURE_SIZE = 14, 13
# The agenda list's place filter reaches this many levels below the chosen place.
ANCESTOR_LEVELS = 3


@dataclass(frozen=True)
class MapPlace:
    pk: int
    name: str
    level: str
    initiatives: int
    activities: int
    initiatives_url: str
    activities_url: str
    on_map: bool


@dataclass(frozen=True)
class MapData:
    title: str
    summary: str
    svg: SafeString  # empty when no place has coordinates
    places: list[MapPlace]  # the list: every place drawn, and every place with something there
    days: int
    attribution: str = ""


# --- Projection --------------------------------------------------------------------------------


def mercator(lon: float, lat: float) -> tuple[float, float]:
    """Web Mercator in the unit square (x east, y south), the tiles' own grid."""
    lat = max(min(lat, 85.05112878), -85.05112878)
    return (lon + 180) / 360, (1 - log(tan(pi / 4 + radians(lat) / 2)) / pi) / 2


def _positions(geometry: dict[str, Any]) -> list[list[list[float]]]:
    """The geometry as rings of [lon, lat] (a point is a ring of one)."""
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if not isinstance(coords, list):
        return []
    if kind == "Point":
        return [[coords]]
    if kind == "Polygon":
        return list(coords)
    if kind == "MultiPolygon":
        return [ring for polygon in coords for ring in polygon]
    return []


@dataclass(frozen=True)
class Projection:
    scale: float  # drawing units per unit of the [0, 1] world
    u0: float  # world coordinates at the drawing's (0, 0)
    v0: float
    width: float
    height: float

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        u, v = mercator(lon, lat)
        return (u - self.u0) * self.scale, (v - self.v0) * self.scale


def fit(geometries: Iterable[dict[str, Any]], *, width: float = WIDTH) -> Projection:
    """The projection that fits every position of `geometries` in the drawing, keeping
    proportions, with a margin on every side, centred."""
    us, vs = [], []
    for geometry in geometries:
        for ring in _positions(geometry):
            for position in ring:
                u, v = mercator(position[0], position[1])
                us.append(u)
                vs.append(v)
    umin, umax, vmin, vmax = min(us), max(us), min(vs), max(vs)
    # A single point, or points on a line, still get an area around them.
    if umax - umin < MIN_SPAN:
        centre = (umin + umax) / 2
        umin, umax = centre - MIN_SPAN / 2, centre + MIN_SPAN / 2
    if vmax - vmin < MIN_SPAN:
        centre = (vmin + vmax) / 2
        vmin, vmax = centre - MIN_SPAN / 2, centre + MIN_SPAN / 2
    du, dv = umax - umin, vmax - vmin
    scale = min((width - 2 * MARGIN) / du, (MAX_HEIGHT - 2 * MARGIN) / dv)
    height = max(MIN_HEIGHT, dv * scale + 2 * MARGIN)
    # Centre the shapes in the drawing.
    u0 = umin - (width - du * scale) / 2 / scale
    v0 = vmin - (height - dv * scale) / 2 / scale
    return Projection(scale=scale, u0=u0, v0=v0, width=width, height=height)


# --- Drawing -----------------------------------------------------------------------------------


def _n(value: float) -> str:
    return f"{value:.1f}"


def _path(rings: list[list[list[float]]], project: Projection) -> str:
    """Rings as one SVG path (holes cut by the even-odd rule); points closer than half a
    unit to the previous one are dropped, so a detailed boundary stays a small drawing."""
    parts = []
    for ring in rings:
        points: list[tuple[float, float]] = []
        for position in ring:
            x, y = project(position[0], position[1])
            if points and abs(x - points[-1][0]) < 0.5 and abs(y - points[-1][1]) < 0.5:
                continue
            points.append((x, y))
        if len(points) >= 3:
            parts.append("M" + "L".join(f"{_n(x)} {_n(y)}" for x, y in points) + "Z")
    return "".join(parts)


def _ring_centre(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Area and centroid of a ring in drawing units (the shoelace formula)."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    area /= 2
    if abs(area) < 1e-9:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return abs(area), cx / (6 * area), cy / (6 * area)


def _label_point(geometry: dict[str, Any], project: Projection) -> tuple[float, float, float]:
    """Where a shape's label goes (the centroid of its largest outer ring) and its area."""
    kind, coords = geometry["type"], geometry["coordinates"]
    outers = [coords[0]] if kind == "Polygon" else [polygon[0] for polygon in coords]
    best = (-1.0, 0.0, 0.0)
    for outer in outers:
        found = _ring_centre([project(p[0], p[1]) for p in outer])
        if found[0] > best[0]:
            best = found
    return best


def _tiles(project: Projection, template: str) -> list[str]:
    """<image> elements of the tiles that cover the drawing, at the zoom whose tiles show at
    128 to 256 units (sharp enough on a phone and on a wide screen)."""
    zoom = max(0, min(19, floor(log2(project.scale / 128))))
    n = 2**zoom
    size = project.scale / n
    u1 = project.u0 + project.width / project.scale
    v1 = project.v0 + project.height / project.scale
    xs = range(max(0, floor(project.u0 * n)), min(n - 1, floor(u1 * n)) + 1)
    ys = range(max(0, floor(project.v0 * n)), min(n - 1, floor(v1 * n)) + 1)
    if len(xs) * len(ys) > MAX_TILES:
        return []
    out = []
    for tx in xs:
        for ty in ys:
            x = (tx / n - project.u0) * project.scale
            y = (ty / n - project.v0) * project.scale
            url = template.replace("{z}", str(zoom)).replace("{x}", str(tx)).replace("{y}", str(ty))
            out.append(
                f'<image href="{escape(url)}" x="{_n(x)}" y="{_n(y)}" width="{_n(size + 0.5)}" '
                f'height="{_n(size + 0.5)}" preserveAspectRatio="none"/>'
            )
    return out


def _short(name: str) -> str:
    return name if len(name) <= MAX_NAME else name[: MAX_NAME - 1].rstrip() + "…"


def _counts_text(place: MapPlace) -> str:
    return _("%(name)s: %(ini)s y %(act)s en los próximos %(days)s días") % {
        "name": place.name,
        "ini": ngettext("%(n)s iniciativa", "%(n)s iniciativas", place.initiatives) % {"n": place.initiatives},
        "act": ngettext("%(n)s actividad", "%(n)s actividades", place.activities) % {"n": place.activities},
        "days": DAYS,
    }


def _text_width(place: MapPlace) -> float:
    """About how wide the label is (bold 14-unit letters), for keeping it in the drawing."""
    return max(len(_short(place.name)) * 8.2, FIGURE_WIDTH)


@dataclass
class _Label:
    place: MapPlace
    x: float
    y: float  # the name's baseline
    anchor: str

    @property
    def box(self) -> tuple[float, float, float, float]:
        width = _text_width(self.place)
        left = {"start": self.x, "middle": self.x - width / 2, "end": self.x - width}[self.anchor]
        return left, self.y - NAME_SIZE, left + width, self.y + 2 * LINE + 4


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _spread(labels: list[_Label], height: float) -> list[_Label]:
    """Move a label up or down, a label's height at a time, when it would cover one already
    placed (the busiest places are placed first and keep their spot)."""
    placed: list[_Label] = []
    for label in sorted(labels, key=lambda lb: (-(lb.place.initiatives + lb.place.activities), lb.place.name)):
        step = 2 * LINE + NAME_SIZE + 6
        for shift in (0, step, -step, 2 * step, -2 * step, 3 * step, -3 * step):
            moved = _Label(label.place, label.x, label.y + shift, label.anchor)
            top, bottom = moved.box[1], moved.box[3]
            if top < 0 or bottom > height:
                continue
            if not any(_overlaps(moved.box, other.box) for other in placed):
                label = moved
                break
        placed.append(label)
    return placed


def _label(place: MapPlace, x: float, y: float, anchor: str) -> str:
    """The place's name and, a line each under it, its two figures in words, each a link to
    its list (a zero is plain text). A link's accessible name starts with its visible text."""
    halo = 'paint-order="stroke" stroke="#ffffff" stroke-width="3" stroke-linejoin="round"'
    out = [
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{NAME_SIZE}" font-weight="700" {halo}>'
        f"{escape(_short(place.name))}</text>"
    ]
    figures = [
        (
            place.initiatives,
            place.initiatives_url,
            ngettext("%(n)s iniciativa", "%(n)s iniciativas", place.initiatives),
            ngettext("%(n)s iniciativa en %(name)s", "%(n)s iniciativas en %(name)s", place.initiatives),
        ),
        (
            place.activities,
            place.activities_url,
            ngettext("%(n)s actividad", "%(n)s actividades", place.activities),
            ngettext(
                "%(n)s actividad en %(name)s en los próximos %(days)s días",
                "%(n)s actividades en %(name)s en los próximos %(days)s días",
                place.activities,
            ),
        ),
    ]
    for k, (n, url, short, words) in enumerate(figures, start=1):
        values = {"n": n, "name": place.name, "days": DAYS}
        colour = BLUE if n else INK  # a link looks like one: blue and underlined (CSS)
        text = (
            f'<text x="{_n(x)}" y="{_n(y + k * LINE)}" text-anchor="{anchor}" font-size="{FIGURE_SIZE}" '
            f'fill="{colour}" {halo}>{escape(short % values)}</text>'
        )
        if n:
            out.append(f'<a href="{escape(url)}" aria-label="{escape(words % values)}">{text}</a>')
        else:
            out.append(text)
    return "".join(out)


def draw(
    shaped: list[tuple[MapPlace, dict[str, Any]]], *, title: str, desc: str, tile_url: str = "", attribution: str = ""
) -> SafeString:
    project = fit(g for _p, g in shaped)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="map-svg" viewBox="0 0 {WIDTH} {_n(project.height)}" '
        f'width="100%" role="group" aria-labelledby="map-title map-desc" '
        f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" fill="{INK}">'
        f'<title id="map-title">{escape(title)}</title><desc id="map-desc">{escape(desc)}</desc>'
        f'<rect width="{WIDTH}" height="{_n(project.height)}" fill="#f3f6f9"/>'
    ]
    if tile_url:
        out.append('<g class="map-tiles" aria-hidden="true">' + "".join(_tiles(project, tile_url)) + "</g>")
    areas: list[tuple[float, str]] = []
    points: list[str] = []
    labels: list[_Label] = []
    for place, geometry in shaped:
        words = escape(_counts_text(place))
        if geometry["type"] == "Point":
            x, y = project(*geometry["coordinates"][:2])
            points.append(
                f'<circle cx="{_n(x)}" cy="{_n(y)}" r="6" fill="{BLUE}" stroke="#ffffff" stroke-width="2">'
                f"<title>{words}</title></circle>"
            )
            # Right of the point when the label fits there, else left of it.
            anchor = "start" if x + 10 + _text_width(place) <= WIDTH - 2 else "end"
            labels.append(_Label(place, x + (10 if anchor == "start" else -10), y + 5, anchor))
        else:
            area, x, y = _label_point(geometry, project)
            opacity = ".32" if place.initiatives or place.activities else ".14"
            areas.append(
                (
                    area,
                    f'<path d="{_path(_positions(geometry), project)}" fill="{BLUE}" fill-opacity="{opacity}" '
                    f'fill-rule="evenodd" stroke="{BLUE}" stroke-width="1.5"><title>{words}</title></path>',
                )
            )
            half = _text_width(place) / 2
            labels.append(_Label(place, min(max(x, half + 2), WIDTH - half - 2), y - 8, "middle"))
    # Large areas first, so smaller ones (neighbourhoods in a district) stay on top.
    out += [svg for _a, svg in sorted(areas, key=lambda item: -item[0])]
    out += points
    out += [_label(lb.place, lb.x, lb.y, lb.anchor) for lb in _spread(labels, project.height)]
    if tile_url and attribution:
        out.append(
            f'<text x="{WIDTH - 4}" y="{_n(project.height - 5)}" text-anchor="end" font-size="10" '
            f'paint-order="stroke" stroke="#ffffff" stroke-width="3">{escape(attribution)}</text>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped


# --- Data --------------------------------------------------------------------------------------


def _roll_up(direct: Mapping[int, int], parents: Mapping[int, int | None]) -> dict[int, int]:
    """Each place's count plus those of the places up to ANCESTOR_LEVELS below it (an
    activity has one place, so adding counts counts it once per ancestor)."""
    total: dict[int, int] = defaultdict(int)
    for pk, n in direct.items():
        node: int | None = pk
        for _level in range(ANCESTOR_LEVELS + 1):
            if node is None:
                break
            total[node] += n
            node = parents.get(node)
    return total


def map_context(*, user: User | None = None, today: date | None = None) -> dict[str, Any]:
    """{"map": MapData}, or {"map": None} when no place has coordinates nor anything there.
    `user`: whose view of the agenda counts (private activities); None counts them all.
    Four queries whatever the number of places, initiatives and activities."""
    today = today or local_today()
    places = list(Place.objects.values("pk", "name", "parent_id", "is_active", "geometry", "level__name"))
    parents = {p["pk"]: p["parent_id"] for p in places}
    initiatives: dict[int, int] = dict(
        Initiative.places.through.objects.order_by()
        .values_list("place_id")
        .annotate(n=Count("initiative_id", distinct=True))
        .values_list("place_id", "n")  # type: ignore[misc]
    )
    last = today + timedelta(days=DAYS - 1)
    lo, _end = agenda_selectors.day_bounds(today)
    _start, hi = agenda_selectors.day_bounds(last)
    direct = dict(
        agenda_selectors.visible_activities(user)
        .filter(ends_at__gt=lo, starts_at__lt=hi, place__isnull=False)
        .order_by()
        .values("place_id")
        .annotate(n=Count("pk", distinct=True))
        .values_list("place_id", "n")
    )
    activities = _roll_up(direct, parents)
    portfolio_url = reverse("initiatives:portfolio")
    agenda_url = reverse("agenda:activities")
    rows: list[MapPlace] = []
    shaped: list[tuple[MapPlace, dict[str, Any]]] = []
    for p in places:
        ini, act = initiatives.get(p["pk"], 0), activities.get(p["pk"], 0)
        geometry = p["geometry"] if isinstance(p["geometry"], dict) and _positions(p["geometry"]) else None
        drawn = geometry is not None and (p["is_active"] or ini or act)
        if not drawn and not (ini or act):
            continue
        place = MapPlace(
            pk=p["pk"], name=p["name"], level=p["level__name"] or "", initiatives=ini, activities=act,
            initiatives_url=f"{portfolio_url}?{urlencode({'lugar': p['pk']})}",
            activities_url=f"{agenda_url}?"
            + urlencode({"lugar": p["pk"], "desde": today.isoformat(), "hasta": last.isoformat()}),
            on_map=bool(drawn),
        )  # fmt: skip
        rows.append(place)
        if drawn:
            assert geometry is not None
            shaped.append((place, geometry))
    if not rows:
        return {"map": None}
    rows.sort(key=lambda r: (-(r.initiatives + r.activities), r.name.lower()))
    title = _("Mapa de iniciativas y actividades por lugar")
    summary = ngettext(
        "%(n)s lugar en el mapa; la tabla lista también los que no tienen coordenadas.",
        "%(n)s lugares en el mapa; la tabla lista también los que no tienen coordenadas.",
        len(shaped),
    ) % {"n": len(shaped)}
    if not shaped:
        summary = _("Ningún lugar tiene coordenadas todavía: la tabla muestra las cifras por lugar.")
    busiest = max(rows, key=lambda r: (r.initiatives, r.activities))
    if busiest.initiatives:
        summary += " " + _("El lugar con más iniciativas es «%(name)s» (%(n)s).") % {
            "name": busiest.name,
            "n": busiest.initiatives,
        }
    tile_url = getattr(settings, "MAP_TILE_URL", "")
    attribution = getattr(settings, "MAP_TILE_ATTRIBUTION", "") if tile_url else ""
    svg = SafeString("")
    if shaped:
        desc = summary + " " + _("Cada figura lleva sus cifras; la tabla siguiente tiene los mismos datos.")
        svg = draw(shaped, title=title, desc=desc, tile_url=tile_url, attribution=attribution)
    return {"map": MapData(title=title, summary=summary, svg=svg, places=rows, days=DAYS, attribution=attribution)}
