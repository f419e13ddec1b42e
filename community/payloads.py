"""Validation of the outbox events the relay receives. A tenant writes them, but the relay
never trusts a payload's shape: a malformed one becomes a `RelayFailure`, not a crash and not
a half-written index row."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tenants.validators import parse_id


class MalformedPayload(ValueError):
    pass


TOPICS = {
    "initiative.upserted",
    "initiative.withdrawn",
    "restriction.upserted",
    "restriction.withdrawn",
    "community.snapshot",
}


def _str(data: dict[str, Any], key: str, *, max_length: int, required: bool = True) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise MalformedPayload(f"{key}: expected text, got {type(value).__name__}")
    if required and not value.strip():
        raise MalformedPayload(f"{key}: missing")
    return value[:max_length]


MAX_ID = 2**63 - 1  # the index's bigint columns


def _int(data: dict[str, Any], key: str, *, required: bool = True, maximum: int = MAX_ID) -> int | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
        raise MalformedPayload(f"{key}: expected an integer from 0 to {maximum}, got {value!r}")
    return value


def aggregate_number(value: str) -> int:
    """An event's item id: ASCII digits only (`"²".isdigit()` is true), within bigint."""
    number = parse_id(value, max_digits=18)
    if number is None:
        raise MalformedPayload(f"aggregate_id {value!r} is not an item number")
    return number


def _date(data: dict[str, Any], key: str) -> date | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise MalformedPayload(f"{key}: not a date ({value!r})") from exc


def _themes(data: dict[str, Any]) -> list[dict[str, Any]]:
    raw = data.get("themes", [])
    if not isinstance(raw, list):
        raise MalformedPayload("themes: expected a list")
    themes = []
    for theme in raw:
        if not isinstance(theme, dict):
            raise MalformedPayload("themes: expected objects with id and name")
        themes.append({"id": _int(theme, "id"), "name": _str(theme, "name", max_length=200)})
    return themes


def _place_regions(data: dict[str, Any]) -> list[str]:
    raw = data.get("places", [])
    if not isinstance(raw, list) or not all(isinstance(p, dict) for p in raw):
        raise MalformedPayload("places: expected a list of objects")
    return sorted({str(p.get("region") or p.get("name") or "")[:200] for p in raw} - {""})


def _bool(data: dict[str, Any], key: str, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise MalformedPayload(f"{key}: expected true or false")
    return value


@dataclass
class ItemFields:
    """What an upsert writes on an `IndexItem`, validated."""

    title: str
    text: str
    status: str = ""
    light: int | None = None
    is_public: bool = False
    is_open: bool = True
    restriction_type: str = ""
    start_date: date | None = None
    end_date: date | None = None
    place_regions: list[str] = field(default_factory=list)
    local_themes: list[dict[str, Any]] = field(default_factory=list)
    initiative_source_id: int | None = None
    source_url: str = ""


def _check_id(data: dict[str, Any], aggregate_id: str) -> None:
    if str(_int(data, "id")) != aggregate_id:
        raise MalformedPayload(f"id: {data.get('id')!r} does not match the event's item {aggregate_id}")


def initiative_fields(data: dict[str, Any], aggregate_id: str) -> ItemFields:
    if not isinstance(data, dict):
        raise MalformedPayload("payload: expected an object")
    _check_id(data, aggregate_id)
    light = _int(data, "light", required=False, maximum=10)
    text = "\n\n".join(
        part
        for part in (
            _str(data, "objective", max_length=8000),
            _str(data, "description", max_length=20000, required=False),
        )
        if part
    )
    return ItemFields(
        title=_str(data, "name", max_length=300),
        text=text,
        status=_str(data, "status", max_length=30, required=False),
        light=light,
        is_public=_bool(data, "is_public", False),
        start_date=_date(data, "start_date"),
        end_date=_date(data, "target_date"),
        place_regions=_place_regions(data),
        local_themes=_themes(data),
        source_url=_str(data, "public_path", max_length=300, required=False),
    )


def restriction_fields(data: dict[str, Any], aggregate_id: str) -> ItemFields:
    if not isinstance(data, dict):
        raise MalformedPayload("payload: expected an object")
    _check_id(data, aggregate_id)
    is_open = _bool(data, "is_open", True)
    description = _str(data, "description", max_length=8000)
    initiative_name = _str(data, "initiative_name", max_length=300, required=False)
    return ItemFields(
        title=_headline(description),
        # The initiative's name helps search and detection place the problem.
        text="\n\n".join(part for part in (description, initiative_name) if part),
        status="open" if is_open else "closed",
        is_public=_bool(data, "is_public", False),
        is_open=is_open,
        restriction_type=_str(data, "type", max_length=60),
        start_date=_date(data, "raised_on"),
        end_date=_date(data, "raised_on"),
        place_regions=_place_regions(data),
        local_themes=_themes(data),
        initiative_source_id=_int(data, "initiative_id", required=False),
        source_url=_str(data, "public_path", max_length=300, required=False),
    )


def _headline(text: str, limit: int = 140) -> str:
    """A restriction has no title: its first sentence, cut at a word, stands for one."""
    first = text.strip().split("\n", 1)[0]
    for mark in (". ", "; "):
        if mark in first:
            first = first.split(mark, 1)[0]
    if len(first) <= limit:
        return first.rstrip(".")
    return first[:limit].rsplit(" ", 1)[0] + "…"


def snapshot_keys(data: dict[str, Any]) -> set[tuple[str, int]]:
    """A snapshot lists every item the municipality shares right now."""
    if not isinstance(data, dict):
        raise MalformedPayload("payload: expected an object")
    keys: set[tuple[str, int]] = set()
    for kind in ("initiative", "restriction"):
        ids = data.get(f"{kind}_ids", [])
        if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
            raise MalformedPayload(f"{kind}_ids: expected a list of integers")
        keys.update((kind, i) for i in ids)
    return keys
