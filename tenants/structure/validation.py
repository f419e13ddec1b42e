"""Validation shared by the structure services and the bulk import (one rule, one place)."""

from __future__ import annotations

import json
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_THEME_DEPTH = 3  # axis → theme → sub-theme


def clean_code(value: str, *, max_length: int = 20) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("Indique un código."))
    if len(value) > max_length or not CODE_RE.match(value):
        raise ValidationError(
            _("El código admite hasta %(n)s letras sin tilde, números, puntos, guiones y guiones bajos.")
            % {"n": max_length}
        )
    return value


def clean_colour(value: str) -> str:
    value = (value or "").strip() or "#0b5394"
    if not COLOUR_RE.match(value):
        raise ValidationError(_("El color debe tener la forma #RRGGBB, por ejemplo #0b5394."))
    return value.lower()


def clean_name(value: str, *, max_length: int = 150) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("Indique un nombre."))
    if len(value) > max_length:
        raise ValidationError(_("El nombre admite como máximo %(n)s caracteres.") % {"n": max_length})
    return value


def clean_text(value: Any, *, max_length: int) -> str:
    text = "" if value is None else str(value).strip()
    if len(text) > max_length:
        raise ValidationError(_("Admite como máximo %(n)s caracteres.") % {"n": max_length})
    return text


MAX_GEOJSON_CHARS = 2_000_000


def _position(value: Any, where: str) -> None:
    if (
        not isinstance(value, list)
        or len(value) < 2
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in value[:2])
    ):
        raise ValidationError(_("GeoJSON no válido: %(where)s debe ser [longitud, latitud].") % {"where": where})
    lon, lat = value[0], value[1]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationError(
            _("GeoJSON no válido: %(where)s está fuera de rango (longitud -180..180, latitud -90..90).")
            % {"where": where}
        )


def _ring(ring: Any, where: str) -> None:
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValidationError(_("GeoJSON no válido: %(where)s necesita al menos 4 posiciones.") % {"where": where})
    for i, position in enumerate(ring):
        _position(position, f"{where}[{i}]")
    if ring[0][:2] != ring[-1][:2]:
        raise ValidationError(
            _("GeoJSON no válido: %(where)s debe cerrarse (la última posición igual a la primera).") % {"where": where}
        )


def clean_geometry(value: Any) -> dict[str, Any] | None:
    """A GeoJSON Point, Polygon or MultiPolygon (a Feature is unwrapped), or None."""
    if value in (None, "", {}):
        return None
    if isinstance(value, str):
        if len(value) > MAX_GEOJSON_CHARS:
            raise ValidationError(
                _("GeoJSON no válido: admite como máximo 2 millones de caracteres; simplifique la forma.")
            )
        try:
            value = json.loads(value)
        except RecursionError as exc:
            raise ValidationError(_("GeoJSON no válido: demasiados niveles anidados.")) from exc
        except json.JSONDecodeError as exc:
            raise ValidationError(
                _("GeoJSON no válido: no es JSON (revise la línea %(line)s, columna %(col)s).")
                % {"line": exc.lineno, "col": exc.colno}
            ) from exc
    if not isinstance(value, dict):
        raise ValidationError(_("GeoJSON no válido: se esperaba un objeto."))
    if value.get("type") == "Feature":
        value = value.get("geometry")
        if not isinstance(value, dict):
            raise ValidationError(_("GeoJSON no válido: el Feature no tiene geometría."))
    kind, coordinates = value.get("type"), value.get("coordinates")
    if kind == "Point":
        _position(coordinates, "coordinates")
    elif kind == "Polygon":
        if not isinstance(coordinates, list) or not coordinates:
            raise ValidationError(_("GeoJSON no válido: el polígono no tiene anillos."))
        for i, ring in enumerate(coordinates):
            _ring(ring, f"coordinates[{i}]")
    elif kind == "MultiPolygon":
        if not isinstance(coordinates, list) or not coordinates:
            raise ValidationError(_("GeoJSON no válido: el multipolígono está vacío."))
        for i, polygon in enumerate(coordinates):
            if not isinstance(polygon, list) or not polygon:
                raise ValidationError(_("GeoJSON no válido: coordinates[%(i)s] no es un polígono.") % {"i": i})
            for j, ring in enumerate(polygon):
                _ring(ring, f"coordinates[{i}][{j}]")
    else:
        raise ValidationError(
            _("GeoJSON no válido: el tipo debe ser Point, Polygon o MultiPolygon (se recibió %(kind)s).")
            % {"kind": kind or "—"}
        )
    return {"type": kind, "coordinates": coordinates}


def raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def collect(errors: dict[str, list[str]], field: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a cleaner; on failure record its message under `field` and return None."""
    try:
        return fn(*args, **kwargs)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(exc.messages)
        return None
