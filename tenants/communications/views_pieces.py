"""Pages of an action's pieces: write and change a piece, its files (images with their text
alternative), its text per channel, its approval, and its publication to each channel with
the reach it had. Thin: parse → access → service → render or redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from tenants.accounts.models import User, acting_user
from tenants.communications import access, selectors, services
from tenants.communications.forms import PieceFileForm, PieceForm, ReachForm, VariantForm
from tenants.communications.models import ChannelKind, CommunicationAction, Piece, PieceFile, Publication
from tenants.communications.services.pieces import change_refused_reason, channel_limit
from tenants.communications.views_public import file_response
from tenants.forms_util import apply_errors


def _user(request: HttpRequest) -> User:
    return acting_user(request)


def _error_messages(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _variant_forms(piece: Piece | None, data: object = None) -> list[VariantForm]:
    """One form per active outbound channel (the news page takes the piece as it is)."""
    existing = {v.channel_id: v.text for v in piece.variants.all()} if piece is not None else {}
    forms = []
    for channel in selectors.channels(active_only=True):
        if channel.kind == ChannelKind.WEB:
            continue
        form = VariantForm(
            data,  # type: ignore[arg-type]
            channel=channel,
            limit=channel_limit(channel),
            initial={"text": existing.get(channel.pk, "")},
        )
        forms.append(form)
    return forms


def _piece_page(
    request: HttpRequest,
    action: CommunicationAction,
    piece: Piece | None,
    *,
    form: PieceForm | None = None,
    file_form: PieceFileForm | None = None,
    variant_forms: list[VariantForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "action": action,
        "piece": piece,
        # On the news page or on its way to a channel: the page says why and offers no form.
        "frozen": (change_refused_reason(piece.publications.all()) or "") if piece is not None else "",
        "form": form or PieceForm(instance=piece),
        "file_form": file_form or PieceFileForm(),
        "variant_forms": variant_forms if variant_forms is not None else _variant_forms(piece),
        "files": list(piece.files.all()) if piece is not None else [],
    }
    return render(request, "communications/piece_form.html", context, status=status)


def piece_edit(request: HttpRequest, pk: int, pid: int | None = None) -> HttpResponse:
    user = _user(request)
    action = selectors.action_by_pk(pk)
    piece = selectors.piece_by_pk(action, pid) if pid else None
    access.require_editor(user)
    form = PieceForm(request.POST or None, instance=piece)
    if request.method == "POST" and form.is_valid():
        data, version = form.service_data()
        try:
            saved = services.piece_save(actor=user, action=action, data=data, piece=piece, version=version)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Se guardó la pieza «%(title)s».") % {"title": saved.title})
            if piece is None:
                # A new piece: next come its images and its texts per channel.
                return redirect("communications:piece-edit", pk=pk, pid=saved.pk)
            return redirect("communications:detail", pk=pk)
    return _piece_page(request, action, piece, form=form, status=400 if request.method == "POST" else 200)


@require_POST
def piece_file_add(request: HttpRequest, pk: int, pid: int) -> HttpResponse:
    user = _user(request)
    action = selectors.action_by_pk(pk)
    piece = selectors.piece_by_pk(action, pid)
    access.require_editor(user)
    form = PieceFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            added = services.piece_file_add(
                actor=user, piece=piece, file=form.cleaned_data["file"], alt_text=form.cleaned_data["alt_text"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Se agregó «%(name)s».") % {"name": added.name})
            return redirect("communications:piece-edit", pk=pk, pid=pid)
    return _piece_page(request, action, piece, file_form=form, status=400)


def _piece_file(piece: Piece, fid: int) -> PieceFile:
    found = next((f for f in piece.files.all() if f.pk == fid), None)
    if found is None:
        raise Http404
    return found


@require_POST
def piece_file_remove(request: HttpRequest, pk: int, pid: int, fid: int) -> HttpResponse:
    user = _user(request)
    action = selectors.action_by_pk(pk)
    piece_file = _piece_file(selectors.piece_by_pk(action, pid), fid)
    access.require_editor(user)
    try:
        services.piece_file_remove(actor=user, piece_file=piece_file)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("Se quitó «%(name)s».") % {"name": piece_file.name})
    return redirect("communications:piece-edit", pk=pk, pid=pid)


@require_safe
def piece_file(request: HttpRequest, pk: int, pid: int, fid: int) -> FileResponse:
    """A piece's file for members (the workspace middleware already refused non-members);
    the public news page serves published ones through its own view."""
    return file_response(_piece_file(selectors.piece_by_pk(selectors.action_by_pk(pk), pid), fid))


@require_POST
def variant_save(request: HttpRequest, pk: int, pid: int, cid: int) -> HttpResponse:
    user = _user(request)
    action = selectors.action_by_pk(pk)
    piece = selectors.piece_by_pk(action, pid)
    channel = selectors.channel_by_pk(cid)
    access.require_editor(user)
    form = VariantForm(request.POST, channel=channel, limit=channel_limit(channel))
    if form.is_valid():
        try:
            services.variant_save(actor=user, piece=piece, channel=channel, text=form.cleaned_data["text"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Se guardó el texto para «%(channel)s».") % {"channel": channel.name})
            return redirect("communications:piece-edit", pk=pk, pid=pid)
    forms = [form if f.channel.pk == channel.pk else f for f in _variant_forms(piece)]
    return _piece_page(request, action, piece, variant_forms=forms, status=400)


@require_POST
def piece_approve(request: HttpRequest, pk: int, pid: int) -> HttpResponse:
    user = _user(request)
    action = selectors.action_by_pk(pk)
    piece = selectors.piece_by_pk(action, pid)
    access.require_approver(user)
    # The version the approver's page showed; without it the service refuses (approval is
    # of what was read).
    raw = request.POST.get("version", "")
    version = int(raw) if raw.isdigit() else None
    try:
        services.piece_approve(actor=user, piece=piece, version=version)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("Se aprobó la pieza «%(title)s».") % {"title": piece.title})
    return redirect("communications:detail", pk=pk)


@require_POST
def publish(request: HttpRequest, pk: int, pid: int, cid: int) -> HttpResponse:
    """Ask for a piece on a channel; for a failed one this is the retry."""
    user = _user(request)
    action = selectors.action_by_pk(pk)
    piece = selectors.piece_by_pk(action, pid)
    channel = selectors.channel_by_pk(cid)
    access.require_editor(user)
    try:
        services.publication_request(actor=user, piece=piece, channel=channel)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(
            request,
            _("Se pidió publicar «%(piece)s» en «%(channel)s». El estado de la publicación se ve abajo.")
            % {"piece": piece.title, "channel": channel.name},
        )
    return redirect(reverse("communications:detail", args=[pk]) + f"#pieza-{piece.pk}")


def _publication(action: CommunicationAction, pub_id: int) -> Publication:
    found = next((p for piece in action.pieces.all() for p in piece.publications.all() if p.pk == pub_id), None)
    if found is None:
        raise Http404
    return found


@require_POST
def reach_save(request: HttpRequest, pk: int, pub_id: int) -> HttpResponse:
    user = _user(request)
    action = selectors.action_by_pk(pk)
    publication = _publication(action, pub_id)
    access.require_editor(user)
    form = ReachForm(request.POST, prefix=f"alcance-{pub_id}")
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect("communications:detail", pk=pk)
    try:
        services.publication_set_reach(
            actor=user, publication=publication, reach=form.cleaned_data["reach"], note=form.cleaned_data["reach_note"]
        )
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("Se registró el alcance en «%(channel)s».") % {"channel": publication.channel.name})
    return redirect("communications:detail", pk=pk)
