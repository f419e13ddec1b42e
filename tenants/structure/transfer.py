"""Bulk import and export of the structure lists (CSV and XLSX).

An import reads the whole file, checks every row through the same services that the forms
use (so every rule applies), and writes nothing unless every row is valid; a dry run does
the same and always writes nothing. Errors name the line and the column. Exports neutralise
cells that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants.accounts.models import User
from tenants.audit import audit
from tenants.roles import MunicipalRole
from tenants.structure import services
from tenants.structure.models import (
    Actor,
    ActorKind,
    Area,
    NetworkMember,
    Place,
    PlaceLevel,
    Position,
    Relevance,
    Theme,
)
from tenants.text import fold as text_fold

MAX_BYTES = getattr(settings, "STRUCTURE_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
MAX_ROWS = 10_000
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
THOUSANDS = re.compile(r"\d{1,3}(?:[., ]\d{3})+")


def fold(text: str) -> str:
    """Lower case without accents, for matching headers and labels typed by people."""
    return text_fold(str(text).strip())


@dataclass(frozen=True)
class Column:
    header: str  # as written in templates and exports (Spanish, no accents)
    field: str  # key in the service's data
    kind: str = "text"  # text | int | ref | refs | choice | multichoice | json | bool
    required: bool = False
    model: type[models.Model] | None = None
    choices: type[models.TextChoices] | None = None
    help: Any = ""


@dataclass(frozen=True)
class Spec:
    model: type[models.Model]
    columns: tuple[Column, ...]
    save: Callable[..., Any]
    key: str  # "code" (update the item with that code) or "id" (update by id, blank = new)
    instance_arg: str


def _ref_text(item: Any) -> str:
    return str(getattr(item, "code", None) or getattr(item, "name", "") or "")


SPECS: dict[str, Spec] = {
    "themes": Spec(
        Theme,
        (
            Column("codigo", "code", required=True, help=gettext_lazy("Único, p. ej. E1, E1.2")),
            Column("nombre", "name", required=True),
            Column("descripcion", "description"),
            Column("color", "colour", help=gettext_lazy("#RRGGBB")),
            Column("tema_superior", "parent", "ref", model=Theme, help=gettext_lazy("código del eje o tema superior")),
        ),
        services.theme_save,
        "code",
        "theme",
    ),
    "places": Spec(
        Place,
        (
            Column("codigo", "code", required=True),
            Column("nombre", "name", required=True),
            Column("nivel", "level", "ref", required=True, model=PlaceLevel, help=gettext_lazy("nombre del nivel")),
            Column("lugar_superior", "parent", "ref", model=Place, help=gettext_lazy("código del lugar superior")),
            Column("poblacion", "population", "int"),
            Column("geometria", "geometry", "json", help=gettext_lazy("GeoJSON: Point, Polygon o MultiPolygon")),
        ),
        services.place_save,
        "code",
        "place",
    ),
    "actors": Spec(
        Actor,
        (
            Column("id", "id", "int", help=gettext_lazy("vacío para crear; el de la exportación para actualizar")),
            Column("tipo", "kind", "choice", required=True, choices=ActorKind),
            Column("nombre", "name", required=True),
            Column("organizacion", "organisation"),
            Column("cargo", "position"),
            Column("correo", "email"),
            Column("telefono", "phone"),
            Column("direccion", "address"),
            Column("relevancia", "relevance", "choice", choices=Relevance),
            Column("temas", "themes", "refs", model=Theme, help=gettext_lazy("códigos separados por ;")),
            Column("lugares", "places", "refs", model=Place, help=gettext_lazy("códigos separados por ;")),
            Column("notas", "notes"),
        ),
        services.actor_save,
        "id",
        "item",
    ),
    "areas": Spec(
        Area,
        (
            Column("codigo", "code", required=True),
            Column("nombre", "name", required=True),
            Column("area_superior", "parent", "ref", model=Area, help=gettext_lazy("código del área superior")),
        ),
        services.area_save,
        "code",
        "area",
    ),
    "positions": Spec(
        Position,
        (
            Column("codigo", "code", required=True),
            Column("nombre", "name", required=True),
            Column("area", "area", "ref", required=True, model=Area, help=gettext_lazy("código del área")),
        ),
        services.position_save,
        "code",
        "position",
    ),
    "network": Spec(
        NetworkMember,
        (
            Column("id", "id", "int", help=gettext_lazy("vacío para crear; el de la exportación para actualizar")),
            Column("nombre_completo", "full_name", required=True),
            Column("correo", "email"),
            Column("telefono", "phone"),
            Column("cargo", "position", "ref", model=Position, help=gettext_lazy("código del cargo")),
            Column("roles", "roles", "multichoice", choices=MunicipalRole, help=gettext_lazy("separados por ;")),
            Column(
                "cuenta",
                "user",
                "ref",
                model=User,
                help=gettext_lazy("correo de una cuenta que ya es miembro del municipio"),
            ),
        ),
        services.network_member_save,
        "id",
        "member",
    ),
}


@dataclass
class RowError:
    line: int
    column: str
    message: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    written: bool = False


class FileProblem(ValueError):
    """The file as a whole cannot be read (size, format, encoding, headers)."""


# --- Reading ---------------------------------------------------------------------------------


def _unneutralise(value: str) -> str:
    """Undo the apostrophe our exports put before formula-like text, so a round trip keeps
    values (the save stores text; nothing is ever evaluated)."""
    return value[1:] if value.startswith("'") and value[1:2] in ("=", "+", "-", "@") else value


# Each reader yields (line number, cell values, cells holding a formula).
Rows = Iterator[tuple[int, list[str], list[str]]]


def _read_csv(content: bytes, report: ImportReport) -> Rows:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheets on Windows save "CSV" in Windows-1252 (Latin-1): read it as such and say so.
        text = content.decode("cp1252", errors="replace")
        report.notices.append(
            _(
                "El archivo no estaba en UTF-8; se leyó como Latin-1 (Windows-1252). "
                "Revise que las tildes y eñes se vean bien."
            )
        )
    csv.field_size_limit(MAX_BYTES)  # a district's polygon easily passes csv's default 128 KB
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            yield reader.line_num, [_unneutralise(v) for v in row], []
    except csv.Error as exc:
        raise FileProblem(_("El CSV está mal formado cerca de la línea %(line)s.") % {"line": reader.line_num}) from exc


def _read_xlsx(content: bytes) -> Rows:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_BYTES * 20:  # a "zip bomb" would exhaust memory when opened
            raise FileProblem(_("El libro de Excel es demasiado grande al descomprimirlo."))
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
    except FileProblem:
        raise
    except Exception as exc:  # a damaged workbook fails in many ways inside openpyxl
        raise FileProblem(_("El archivo no es un libro de Excel (.xlsx) válido.")) from exc
    for index, row in enumerate(sheet.iter_rows(), start=1):
        values: list[str] = []
        formulas: list[str] = []
        for position, cell in enumerate(row, start=1):
            value = cell.value
            if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and value.startswith("=")):
                formulas.append(f"{get_column_letter(position)}{index}")
                values.append("")
                continue
            if value is None:
                values.append("")
            elif isinstance(value, float) and value.is_integer():
                values.append(str(int(value)))
            else:
                values.append(_unneutralise(str(value)))
        yield index, values, formulas
    workbook.close()


def _rows(filename: str, content: bytes, report: ImportReport) -> Rows:
    if len(content) > MAX_BYTES:
        raise FileProblem(
            _("El archivo pesa %(size)s MB; el máximo es %(max)s MB.")
            % {"size": f"{len(content) / 1048576:.1f}", "max": f"{MAX_BYTES / 1048576:.0f}"}
        )
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(content)
    if name.endswith(".csv") or name.endswith(".txt"):
        return _read_csv(content, report)
    raise FileProblem(_("Formato no admitido: suba un archivo .csv o .xlsx."))


# --- Converting cells --------------------------------------------------------------------------


def _lookup(model: type[models.Model], text: str) -> models.Model:
    found: models.Model | None
    if model is PlaceLevel:
        # "Barrio", or "Zona urbana · Barrio" when two sets have a level of that name.
        set_name, _sep, level_name = text.rpartition("·")
        levels = PlaceLevel.objects.filter(name__iexact=level_name.strip())
        if set_name.strip():
            levels = levels.filter(level_set__name__iexact=set_name.strip())
        if levels.count() > 1:
            raise ValidationError(
                _("Hay varios niveles «%(value)s»; escriba «conjunto · nivel».") % {"value": level_name.strip()}
            )
        found = levels.first()
    elif model is User:
        found = User.objects.filter(email__iexact=text).first()
    else:
        found = model._default_manager.filter(code__iexact=text).first()
    if found is None:
        raise ValidationError(_("No existe «%(value)s».") % {"value": text})
    return found


def _choice(choices: type[models.TextChoices], text: str) -> str:
    wanted = fold(text)
    for value, label in choices.choices:
        if wanted in (fold(value), fold(str(label))):
            return str(value)
    options = ", ".join(str(label) for _v, label in choices.choices)
    raise ValidationError(_("«%(value)s» no es una opción válida (%(options)s).") % {"value": text, "options": options})


def _convert(column: Column, raw: str) -> Any:
    text = raw.strip()
    if column.kind == "text":
        return text
    if not text:
        return [] if column.kind in ("refs", "multichoice") else None
    if column.kind == "int":
        if THOUSANDS.fullmatch(text):  # 12.500 or 12,500 as spreadsheets write them
            text = re.sub(r"[., ]", "", text)
        try:
            return int(text)
        except ValueError as exc:
            raise ValidationError(_("«%(value)s» no es un número entero.") % {"value": text}) from exc
    if column.kind == "ref":
        assert column.model is not None
        return _lookup(column.model, text)
    if column.kind == "refs":
        assert column.model is not None
        return [_lookup(column.model, part.strip()) for part in text.split(";") if part.strip()]
    if column.kind == "choice":
        assert column.choices is not None
        return _choice(column.choices, text)
    if column.kind == "multichoice":
        assert column.choices is not None
        return [_choice(column.choices, part) for part in text.split(";") if part.strip()]
    if column.kind == "json":
        return text
    raise AssertionError(column.kind)


# --- Import ------------------------------------------------------------------------------------


def import_file(*, actor: User | None, kind: str, filename: str, content: bytes, dry_run: bool) -> ImportReport:
    """Check every row and, unless this is a dry run or any row is wrong, save them all."""
    spec = SPECS[kind]
    report = ImportReport()
    by_header = {fold(c.header): c for c in spec.columns}
    by_field = {c.field: c for c in spec.columns}
    rows = iter(_rows(filename, content, report))
    _header_line, header, _formulas = next(rows, (1, [], []))
    columns: list[Column | None] = []
    unknown = []
    for name in header:
        column = by_header.get(fold(name).replace(" ", "_"))
        columns.append(column)
        if column is None and name.strip():
            unknown.append(name.strip())
    if unknown:
        raise FileProblem(_("Columnas desconocidas: %(names)s. Use la plantilla.") % {"names": ", ".join(unknown)})
    missing = [c.header for c in spec.columns if c.required and c not in columns]
    if missing:
        raise FileProblem(_("Faltan columnas obligatorias: %(names)s.") % {"names": ", ".join(missing)})

    seen: dict[str, int] = {}  # key -> line where it first appears in this file
    with transaction.atomic():
        for line, values, formulas in rows:
            if not any(v.strip() for v in values) and not formulas:
                continue
            report.rows += 1
            if report.rows > MAX_ROWS:
                raise FileProblem(_("El archivo tiene más de %(n)s filas.") % {"n": MAX_ROWS})
            data: dict[str, Any] = {}
            # A formula is refused (its value would depend on the spreadsheet), cell by cell.
            row_errors: list[RowError] = [
                RowError(line, cell, _("La celda %(cell)s contiene una fórmula; pegue solo el valor.") % {"cell": cell})
                for cell in formulas
            ]
            for column, raw in zip(columns, values, strict=False):
                if column is None:
                    continue
                try:
                    data[column.field] = _convert(column, raw)
                except ValidationError as exc:
                    row_errors.append(RowError(line, column.header, " ".join(exc.messages)))
            instance = None
            if not row_errors:
                key = data.pop("id", None) if spec.key == "id" else data.get("code")
                folded = str(key).lower() if key else ""
                if folded and folded in seen:
                    header_name = "id" if spec.key == "id" else "codigo"
                    row_errors.append(
                        RowError(
                            line,
                            header_name,
                            _("«%(key)s» se repite: ya está en la línea %(other)s.")
                            % {"key": key, "other": seen[folded]},
                        )
                    )
                    key = None
                elif folded:
                    seen[folded] = line
                if key and spec.key == "id":
                    instance = spec.model._default_manager.filter(pk=key).first()
                    if instance is None:
                        row_errors.append(RowError(line, "id", _("No existe un registro con id %(id)s.") % {"id": key}))
                elif key:
                    instance = spec.model._default_manager.filter(code__iexact=str(key)).first()
            if not row_errors:
                try:
                    with transaction.atomic():
                        spec.save(actor=actor, data=data, record=False, **{spec.instance_arg: instance})
                except ValidationError as exc:
                    for field_name, messages in exc.message_dict.items():
                        column = by_field.get(field_name)
                        header_name = column.header if column else field_name
                        row_errors.append(RowError(line, header_name, " ".join(messages)))
                else:
                    if instance is None:
                        report.created += 1
                    else:
                        report.updated += 1
            report.errors.extend(row_errors)
        if report.rows == 0:
            raise FileProblem(_("El archivo no tiene filas de datos debajo de los encabezados."))
        if report.errors or dry_run:
            transaction.set_rollback(True)
        else:
            report.written = True
            audit(
                actor=actor, action="structure.import", object_type=kind, created=report.created, updated=report.updated
            )
    if report.errors:
        report.created = report.updated = 0  # nothing was written, and nothing will be
    return report


# --- Export -------------------------------------------------------------------------------------


def neutralise(value: str) -> str:
    """A cell a spreadsheet would run as a formula is prefixed with an apostrophe."""
    return "'" + value if value.startswith(DANGEROUS_PREFIXES) else value


def _cell(column: Column, item: Any, show_contacts: bool) -> str:
    if column.field in ("email", "phone", "address") and not show_contacts:
        return ""
    if column.field == "user":
        user = User.objects.filter(pk=item.user_id).first() if item.user_id else None
        return user.email if user is not None and show_contacts else ""
    value = getattr(item, column.field, None) if column.field != "id" else item.pk
    if column.kind == "ref":
        text = "" if value is None else (value.name if isinstance(value, PlaceLevel) else _ref_text(value))
    elif column.kind == "refs":
        text = ";".join(_ref_text(v) for v in value.all())  # type: ignore[union-attr]
    elif column.kind == "multichoice":
        text = ";".join(value or [])
    elif column.kind == "json":
        import json

        text = json.dumps(value, ensure_ascii=False) if value else ""
    else:
        text = "" if value is None else str(value)
    return neutralise(text)


def table(kind: str, items: Any, *, show_contacts: bool) -> tuple[list[str], list[list[str]]]:
    spec = SPECS[kind]
    headers = [c.header for c in spec.columns]
    return headers, [[_cell(c, item, show_contacts) for c in spec.columns] for item in items]


def to_csv(headers: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")  # with BOM: spreadsheets then read the accents right


def to_xlsx(headers: list[str], rows: list[list[str]], title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(headers)
    for row in rows:
        # Cells are written as text (never formulas), so the CSV's apostrophe is not needed.
        sheet.append([_unneutralise(value) for value in row])
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
