"""DRF pieces the tenant APIs share: reading a JSON body, and a field for what people type
as local times."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from tenants.service_utils import EARLIEST, LATEST


def parse(serializer_class: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    """The request's JSON object, validated by `serializer_class` (400 per field)."""
    if not isinstance(request.data, dict):
        raise ValidationError({"non_field_errors": [_("Envíe un objeto JSON.")]})
    parsed = serializer_class(data=request.data, context={"request": request})
    parsed.is_valid(raise_exception=True)
    return dict(parsed.validated_data)


class LocalDateTimeField(serializers.DateTimeField):
    """Like DRF's, but a wall-clock time that does not exist (the daylight-saving gap) or
    happens twice is refused (DRF's own check lets a gap time through, silently moved), and
    so is a date outside a government's horizon (before any arithmetic can overflow)."""

    def enforce_timezone(self, value: datetime) -> datetime:
        if not EARLIEST <= value.date() <= LATEST:
            raise ValidationError(
                _("La fecha debe estar entre %(first)s y %(last)s.") % {"first": EARLIEST.year, "last": LATEST.year}
            )
        tz = self.default_timezone()
        if tz is not None and timezone.is_naive(value):
            aware = value.replace(tzinfo=tz)
            moved = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != value
            if moved or aware.replace(fold=1).utcoffset() != aware.utcoffset():
                raise ValidationError(
                    _("La hora %(time)s no existe o se repite en %(zone)s por el cambio de horario; indique otra.")
                    % {"time": value.strftime("%Y-%m-%d %H:%M"), "zone": tz}
                )
        return super().enforce_timezone(value)  # type: ignore[no-any-return]
