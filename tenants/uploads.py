"""Files people attach (evidence, report attachments, request letters): what is accepted,
and where it goes. Stored under the municipality's schema name, and served only through
views that check access."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.db import current_schema

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ALLOWED_EXTENSIONS = frozenset(
    {
        "pdf",
        "jpg",
        "jpeg",
        "png",
        "webp",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "odt",
        "ods",
        "odp",
        "txt",
        "csv",
    }
)


def check_upload(file: UploadedFile) -> UploadedFile:
    extension = PurePath(file.name or "").suffix.lower().lstrip(".")
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _("Tipo de archivo no admitido. Use uno de estos: %(types)s.")
            % {"types": ", ".join(sorted(ALLOWED_EXTENSIONS))}
        )
    if (file.size or 0) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("El archivo supera los %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // 1048576})
    if not file.size:
        raise ValidationError(_("El archivo está vacío."))
    return file


def tenant_path(folder: str, filename: str) -> str:
    # A random name: the original can carry personal data, and names must not collide.
    extension = PurePath(filename).suffix.lower()[:10]
    return f"{current_schema()}/{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"
