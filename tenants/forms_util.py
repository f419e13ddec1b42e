"""Form pieces every app's pages share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    """The browser's date picker (ISO value, whatever the page's language)."""

    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker, to the minute."""

    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format=DATETIME_FORMAT)


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time in the municipality's time zone (the request activates it), to the
    minute. A time that does not exist or happens twice on a daylight-saving change is a
    field error."""

    input_formats = [DATETIME_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", DateTimeInput())
        super().__init__(**kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none were sent)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class VersionedForm(forms.Form):
    # The version the page was read at; a save over someone else's newer one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class FilterForm(forms.Form):
    """A list's filters, in the address (GET), so a filtered list can be shared; the page
    shows it with filter_form.html. Its ids start with "f-", apart from those of the page's
    other forms."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        kw.setdefault("auto_id", "f-%s")
        super().__init__(*args, **kw)

    def filters(self) -> dict[str, Any]:
        """The valid filters (an invalid one is ignored, and shown as an error)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in (None, "")}


def query_without(params: QueryDict, name: str = "page") -> str:
    """A list's query string (its filters, other lists' pages) without one parameter, for
    its pager's links: ?{name}=N&{this}."""
    query = params.copy()
    query.pop(name, None)
    return query.urlencode()


def apply_errors(form: forms.Form, exc: ValidationError, *, non_field: Iterable[str] = ()) -> None:
    """Put a service's field errors on the form fields of the same name; the errors of a
    field the form does not have, or of one named in `non_field` (a hidden field the person
    cannot see, such as the version of an optimistic lock), go above the form."""
    shown = set(form.fields) - set(non_field)
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in shown else None, errors)
    else:
        form.add_error(None, exc.messages)
