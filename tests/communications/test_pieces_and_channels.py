"""Pieces (approval of a version, per-channel variants within the channel's limit, files
with their checks) and channels (what each kind needs, credentials encrypted at rest,
kept when a form leaves them empty, key rotation, and unreadable credentials)."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings

from tenants.communications import crypto, services
from tenants.communications.models import Channel, ChannelKind, Piece, PieceFile, PieceVariant, Publication
from tenants.communications.services.publishing import check_publishable, publication_attempt
from tenants.uploads import MAX_UPLOAD_BYTES
from tests.communications.conftest import make_action, ready_piece
from tests.conftest import World

SECRET = "EAAB-page-token-que-nadie-debe-ver-123"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def _piece(w: World, **data: Any) -> Piece:
    fields = {"kind": "social_post", "title": "Vacunación", "summary": "Jornada el sábado.", "body": "Texto.", **data}
    return services.piece_save(actor=w.editor_alfa, action=make_action(w), data=fields)


def _channel(w: World, kind: str, credentials: dict[str, str] | None = None, **data: Any) -> Channel:
    defaults: dict[str, Any] = {"kind": kind, "name": f"Canal {kind}"}
    if kind in (ChannelKind.X, ChannelKind.FACEBOOK):
        defaults["account"] = "alcaldia_alfa"
    if kind == ChannelKind.WEBHOOK:
        defaults["endpoint_url"] = "https://hooks.example.org/sigobito"
    return services.channel_save(actor=w.editor_alfa, data={**defaults, **data}, credentials=credentials)


def _raw_credentials(channel: Channel) -> str:
    """The column as PostgreSQL stores it, in the tenant's schema (not through the model)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials_encrypted FROM communications_channel WHERE id = %s", [channel.pk])
        row = cursor.fetchone()
    assert row is not None
    return str(row[0])


# --- pieces ---------------------------------------------------------------------------------


def test_a_piece_is_saved_and_approved_in_its_current_version(in_alfa: World) -> None:
    w = in_alfa
    piece = _piece(w)
    assert piece.version == 1 and not piece.is_approved and piece.created_by_label == "Elena Editora"
    approved = services.piece_approve(actor=w.mayor_alfa, piece=piece, version=piece.version)
    assert approved.is_approved and approved.approved_version == 1
    assert approved.approved_by_label == "Marta Alcaldesa" and approved.approved_at is not None
    # The system counterpart approves too; the editor does not.
    assert services.piece_approve(actor=w.admin_alfa, piece=approved, version=approved.version).is_approved
    with pytest.raises(PermissionDenied):
        services.piece_approve(actor=w.editor_alfa, piece=approved, version=approved.version)


def test_bad_piece_input_is_refused_and_nothing_saved(in_alfa: World) -> None:
    w = in_alfa
    action = make_action(w)
    with pytest.raises(ValidationError) as exc:
        services.piece_save(
            actor=w.editor_alfa, action=action, data={"kind": "poem", "title": "", "body": " ",
                                                      "video_url": "ftp://video"}
        )  # fmt: skip
    assert set(_errors(exc)) == {"kind", "title", "body", "video_url"}
    assert not Piece.objects.filter(action=action).exists()


def test_editing_an_approved_piece_withdraws_its_approval(in_alfa: World) -> None:
    w = in_alfa
    new = _piece(w)
    piece = services.piece_approve(actor=w.mayor_alfa, piece=new, version=new.version)
    # Saving the same text again is no change: the approval stands.
    same = services.piece_save(actor=w.editor_alfa, action=piece.action, piece=piece, data={"title": "Vacunación"})
    assert same.is_approved
    changed = services.piece_save(
        actor=w.editor_alfa, action=piece.action, piece=piece, data={"body": "Texto corregido."}
    )
    assert not changed.is_approved and changed.version == 2
    assert not Piece.objects.get(pk=piece.pk).is_approved
    # So does adding a file or changing a channel's text: they are part of what was approved.
    again = services.piece_approve(actor=w.mayor_alfa, piece=changed, version=changed.version)
    services.piece_file_add(actor=w.editor_alfa, piece=again, file=SimpleUploadedFile("acta.pdf", b"%PDF-1.4 acta"))
    assert not Piece.objects.get(pk=piece.pk).is_approved
    stored = Piece.objects.get(pk=piece.pk)
    services.piece_approve(actor=w.mayor_alfa, piece=stored, version=stored.version)
    services.variant_save(actor=w.editor_alfa, piece=piece, channel=_channel(w, ChannelKind.X), text="¡Vacúnese!")
    assert not Piece.objects.get(pk=piece.pk).is_approved


def test_a_stale_piece_version_is_refused(in_alfa: World) -> None:
    w = in_alfa
    piece = _piece(w)
    services.piece_save(actor=w.mayor_alfa, action=piece.action, piece=piece, version=1, data={"title": "Nuevo"})
    with pytest.raises(ValidationError) as exc:
        services.piece_save(actor=w.editor_alfa, action=piece.action, piece=piece, version=1, data={"title": "Mío"})
    assert exc.value.code == "stale"
    with pytest.raises(ValidationError) as exc:
        services.piece_approve(actor=w.mayor_alfa, piece=piece, version=1)
    assert exc.value.code == "stale"
    stored = Piece.objects.get(pk=piece.pk)
    assert stored.title == "Nuevo" and not stored.is_approved


def test_a_variant_over_the_channels_limit_is_refused_naming_the_limit(in_alfa: World) -> None:
    w = in_alfa
    piece = _piece(w)
    x = _channel(w, ChannelKind.X, name="X de la alcaldía")
    with pytest.raises(ValidationError) as exc:
        services.variant_save(actor=w.editor_alfa, piece=piece, channel=x, text="a" * 281)
    message = _errors(exc)["text"][0]
    assert "280" in message and "281" in message and "X de la alcaldía" in message
    assert not PieceVariant.objects.filter(piece=piece).exists()
    variant = services.variant_save(actor=w.editor_alfa, piece=piece, channel=x, text="a" * 280)
    assert variant is not None and len(variant.text) == 280
    # A webhook's own limit applies to it.
    hook = _channel(w, ChannelKind.WEBHOOK, max_length=50)
    with pytest.raises(ValidationError) as exc:
        services.variant_save(actor=w.editor_alfa, piece=piece, channel=hook, text="b" * 51)
    assert "50" in _errors(exc)["text"][0]
    # An empty text removes the variant: the piece's own text goes instead.
    assert services.variant_save(actor=w.editor_alfa, piece=piece, channel=x, text="  ") is None
    assert not PieceVariant.objects.filter(piece=piece, channel=x).exists()


def test_an_image_needs_its_text_alternative(in_alfa: World) -> None:
    w = in_alfa
    piece = _piece(w)
    with pytest.raises(ValidationError) as exc:
        services.piece_file_add(actor=w.editor_alfa, piece=piece, file=SimpleUploadedFile("foto.png", PNG))
    assert "texto alternativo" in _errors(exc)["alt_text"][0]
    assert not PieceFile.objects.filter(piece=piece).exists()
    image = services.piece_file_add(
        actor=w.editor_alfa, piece=piece, file=SimpleUploadedFile("Foto.PNG", PNG), alt_text="Niños vacunados"
    )
    assert image.is_image and image.alt_text == "Niños vacunados" and image.name == "Foto.PNG"
    # The stored name is random (an original name can carry personal data).
    stored_name = str(image.file.name)
    assert "Foto" not in stored_name and stored_name.endswith(".png")
    document = services.piece_file_add(
        actor=w.editor_alfa, piece=piece, file=SimpleUploadedFile("acta.pdf", b"%PDF-1.4")
    )
    assert not document.is_image and document.alt_text == ""


@pytest.mark.parametrize(
    ("name", "size", "expected"),
    [
        ("programa.exe", 10, "Tipo de archivo no admitido"),
        ("sin-extension", 10, "Tipo de archivo no admitido"),
        ("vacio.pdf", 0, "vacío"),
        ("enorme.pdf", MAX_UPLOAD_BYTES + 1, "supera"),
    ],
)
def test_file_type_and_size_are_checked(in_alfa: World, name: str, size: int, expected: str) -> None:
    piece = _piece(in_alfa)
    with pytest.raises(ValidationError) as exc:
        services.piece_file_add(actor=in_alfa.editor_alfa, piece=piece, file=SimpleUploadedFile(name, b"x" * size))
    assert expected in _errors(exc)["file"][0]
    assert not PieceFile.objects.filter(piece=piece).exists()
    assert Piece.objects.get(pk=piece.pk).version == piece.version


# --- channels -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "data", "field"),
    [
        (ChannelKind.WEBHOOK, {"endpoint_url": ""}, "endpoint_url"),
        (ChannelKind.WEBHOOK, {"endpoint_url": "ftp://hooks.example.org"}, "endpoint_url"),
        (ChannelKind.FACEBOOK, {"account": ""}, "account"),
        (ChannelKind.X, {"account": " "}, "account"),
        (ChannelKind.X, {"name": ""}, "name"),
        ("telegram", {}, "kind"),
    ],
)
def test_a_channel_needs_what_its_kind_needs(in_alfa: World, kind: str, data: dict[str, Any], field: str) -> None:
    before = Channel.objects.count()
    with pytest.raises(ValidationError) as exc:
        _channel(in_alfa, kind, **data)
    assert field in _errors(exc)
    assert Channel.objects.count() == before


def test_networks_default_to_their_api_and_there_is_one_web_channel(in_alfa: World) -> None:
    w = in_alfa
    assert _channel(w, ChannelKind.X).endpoint_url == "https://api.x.com"
    assert _channel(w, ChannelKind.FACEBOOK).endpoint_url.startswith("https://graph.facebook.com/")
    web = services.web_channel()
    assert services.web_channel() == web
    with pytest.raises(ValidationError) as exc:
        _channel(w, ChannelKind.WEB)
    assert "kind" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        services.channel_save(actor=w.editor_alfa, channel=web, data={"kind": ChannelKind.X, "account": "a"})
    assert "kind" in _errors(exc)


def test_only_channel_managers_configure_channels(in_alfa: World) -> None:
    w = in_alfa
    for user in (w.mayor_alfa, w.followup_alfa):
        with pytest.raises(PermissionDenied):
            services.channel_save(actor=user, data={"kind": "x", "name": "X", "account": "a"})
    assert services.channel_save(actor=w.admin_alfa, data={"kind": "x", "name": "X", "account": "a"}).pk


def test_credentials_are_encrypted_at_rest(in_alfa: World) -> None:
    w = in_alfa
    channel = _channel(w, ChannelKind.FACEBOOK, credentials={"page_access_token": SECRET})
    raw = _raw_credentials(channel)
    assert raw and SECRET not in raw and "page_access_token" not in raw
    assert crypto.decrypt(raw) == {"page_access_token": SECRET}
    assert services.missing_credentials(channel) == []
    # Fields the adapter does not know are not stored.
    hook = _channel(w, ChannelKind.WEBHOOK, credentials={"secret": "s3", "password": "no"})
    assert crypto.decrypt(_raw_credentials(hook)) == {"secret": "s3"}


def test_editing_a_channel_with_empty_credential_fields_keeps_the_stored_ones(in_alfa: World) -> None:
    w = in_alfa
    channel = _channel(w, ChannelKind.X, credentials={"access_token": SECRET})
    # (Changing the account or the address would drop them: see test_safeguards.py.)
    edited = services.channel_save(
        actor=w.editor_alfa, channel=channel, version=channel.version,
        data={"name": "X oficial", "is_active": False}, credentials={"access_token": "  "},
    )  # fmt: skip
    assert edited.name == "X oficial" and edited.version == channel.version + 1
    assert crypto.decrypt(_raw_credentials(edited)) == {"access_token": SECRET}
    # A value given replaces it.
    services.channel_save(actor=w.editor_alfa, channel=edited, data={}, credentials={"access_token": "nuevo"})
    assert crypto.decrypt(_raw_credentials(edited)) == {"access_token": "nuevo"}


def test_a_channel_without_credentials_reports_what_is_missing(in_alfa: World) -> None:
    w = in_alfa
    channel = _channel(w, ChannelKind.X)
    assert _raw_credentials(channel) == ""
    assert services.missing_credentials(channel) == ["token de acceso (OAuth 2.0)"]
    assert services.missing_credentials(services.web_channel()) == []


def test_credentials_survive_a_key_rotation(in_alfa: World) -> None:
    w = in_alfa
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(CREDENTIALS_KEYS=old):
        channel = _channel(w, ChannelKind.X, credentials={"access_token": SECRET})
    stored_with_old = _raw_credentials(channel)
    # Without the old key the token cannot be read; with it (second, to decrypt only) it can.
    with override_settings(CREDENTIALS_KEYS=new), pytest.raises(crypto.UnreadableCredentials):
        crypto.decrypt(stored_with_old)
    with override_settings(CREDENTIALS_KEYS=f"{new}, {old}"):
        assert crypto.decrypt(stored_with_old) == {"access_token": SECRET}
        assert services.missing_credentials(channel) == []
        # Any save re-encrypts with the first key, after which the old one can go.
        services.channel_save(actor=w.editor_alfa, channel=channel, data={"name": "X rotado"})
    stored_with_new = _raw_credentials(channel)
    assert stored_with_new != stored_with_old
    with override_settings(CREDENTIALS_KEYS=new):
        assert crypto.decrypt(stored_with_new) == {"access_token": SECRET}


def test_unreadable_credentials_are_reported_and_fail_the_attempt_with_a_clear_reason(in_alfa: World) -> None:
    w = in_alfa
    piece = ready_piece(w, kind="social_post")
    with override_settings(CREDENTIALS_KEYS=Fernet.generate_key().decode()):
        channel = _channel(w, ChannelKind.X, credentials={"access_token": SECRET})
        publication = services.publication_request(actor=w.editor_alfa, piece=piece, channel=channel)
    # The key that encrypted them is gone.
    with override_settings(CREDENTIALS_KEYS=Fernet.generate_key().decode()):
        problems = check_publishable(piece, channel)
        assert "credenciales válidas" in problems["channel"][0]
        assert services.missing_credentials(channel) == ["token de acceso (OAuth 2.0)"]
        attempt = publication_attempt(publication_id=publication.pk)
    assert attempt.status == "failed" and attempt.retry_in is None
    stored = Publication.objects.get(pk=publication.pk)
    assert stored.status == "failed" and "no se pueden leer" in stored.error and SECRET not in stored.error
