"""Writes on the platform theme vocabulary and on municipalities' mappings to it.

Cross-tenant code (DESIGN.md §4.6): these run in the public schema, or inside a
municipality's request (the mapping page), and touch only public-schema tables.

Decisions:
- A suggestion is the machine's; confirming or rejecting it is a person's decision, and no
  later suggestion run overrides a decision.
- Only confirmed mappings to active platform themes count in the index. Deactivating a
  platform theme takes it out of every item's `platform_themes` (and so out of search facets
  and detection) at once: a retired vocabulary entry must not keep grouping items or appear
  as a filter nobody can choose. The municipalities' confirmed mappings are kept as they
  were, so reactivating the theme puts it back on their items without asking anyone again;
  meanwhile their mapping page tells them the theme was retired and offers to choose another.
- Whenever what counts changes, the affected items are recomputed in the same transaction,
  marked `search_dirty`, and handed to the search backend after commit.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from community import selectors_themes as selectors
from community.models import IndexItem, MappingStatus, PlatformTheme, ThemeMapping
from community.theme_similarity import THRESHOLD, Candidate, Local, best_match, score
from tenants.accounts.models import User
from tenants.audit import audit
from tenants.models import Municipality
from tenants.roles import MEMBER_MANAGERS
from tenants.selectors import is_regional_team, user_roles_in
from tenants.structure.validation import clean_name, clean_text, collect, raise_if

logger = logging.getLogger(__name__)

NAME_MAX = 120
DESCRIPTION_MAX = 2000
LOCAL_NAME_MAX = 200


# --- who may -----------------------------------------------------------------------------


def require_vocabulary_editor(actor: User | None) -> None:
    # `actor=None` is the system itself (demo data, management commands).
    if actor is not None and not is_regional_team(actor):
        raise PermissionDenied(_("Solo el equipo regional puede cambiar el vocabulario de temas."))


def can_decide_mappings(user: User | None, municipality: Municipality) -> bool:
    """The system counterpart and the mayor decide how their municipality's themes map
    (the same people who manage its members and its structure)."""
    if user is None:
        return True
    return bool(user_roles_in(user, municipality) & MEMBER_MANAGERS)


def _require_mapping_decider(actor: User | None, municipality: Municipality) -> None:
    if not can_decide_mappings(actor, municipality):
        raise PermissionDenied(_("Solo la contraparte del sistema o el titular pueden decidir la correspondencia."))


# --- the vocabulary ----------------------------------------------------------------------


def _clean_theme(
    errors: dict[str, list[str]], *, name: str, description: str, theme: PlatformTheme | None
) -> tuple[str, str]:
    clean = collect(errors, "name", clean_name, name, max_length=NAME_MAX) or ""
    text = collect(errors, "description", clean_text, description, max_length=DESCRIPTION_MAX) or ""
    if clean and "name" not in errors:
        # Case- and accent-insensitive: "Educacion" next to "Educación" is the same entry
        # typed twice, and would split the items between two facets.
        others = PlatformTheme.objects.filter(name__unaccent__iexact=clean)
        if theme is not None:
            others = others.exclude(pk=theme.pk)
        existing = others.first()
        if existing is not None:
            errors["name"] = [_("Ya existe el tema «%(name)s»; elija otro nombre.") % {"name": existing.name}]
    return clean, text


def _save_theme(theme: PlatformTheme) -> None:
    try:
        with transaction.atomic():
            theme.save()
    except IntegrityError as exc:
        # Someone saved the same name between our check and this write.
        raise ValidationError({"name": [_("Ya existe un tema con ese nombre; elija otro nombre.")]}) from exc


def platform_theme_create(*, actor: User | None, name: str, description: str = "") -> PlatformTheme:
    require_vocabulary_editor(actor)
    errors: dict[str, list[str]] = {}
    clean, text = _clean_theme(errors, name=name, description=description, theme=None)
    raise_if(errors)
    theme = PlatformTheme(name=clean, description=text)
    with transaction.atomic():
        _save_theme(theme)
        # Pending suggestions may fit the new entry better than what they had (or nothing).
        _resuggest_for(theme)
        audit(actor=actor, action="platform_theme.create", object_type="platform_theme", theme=theme.pk, name=clean)
    return theme


def platform_theme_update(
    *, actor: User | None, theme: PlatformTheme, name: str, description: str = ""
) -> PlatformTheme:
    require_vocabulary_editor(actor)
    errors: dict[str, list[str]] = {}
    clean, text = _clean_theme(errors, name=name, description=description, theme=theme)
    raise_if(errors)
    with transaction.atomic():
        theme = PlatformTheme.objects.select_for_update().get(pk=theme.pk)
        before = {"name": theme.name, "description": theme.description}
        if before == {"name": clean, "description": text}:
            return theme
        theme.name, theme.description = clean, text
        _save_theme(theme)
        # The ids in the index do not change, but its documents carry the theme's name.
        _touch_items(IndexItem.objects.filter(platform_themes__contains=[theme.pk]))
        _resuggest_for(theme)
        audit(actor=actor, action="platform_theme.update", object_type="platform_theme", theme=theme.pk, before=before)
    return theme


def platform_theme_set_active(*, actor: User | None, theme: PlatformTheme, active: bool) -> PlatformTheme:
    """Deactivate (retire from the vocabulary and the index; decisions are kept) or
    reactivate (decisions count again)."""
    require_vocabulary_editor(actor)
    with transaction.atomic():
        theme = PlatformTheme.objects.select_for_update().get(pk=theme.pk)
        if theme.is_active == active:
            return theme
        theme.is_active = active
        theme.save(update_fields=["is_active"])
        by_municipality: dict[int, set[int]] = defaultdict(set)
        for municipality_id, local_id in ThemeMapping.objects.filter(
            platform_theme=theme, status=MappingStatus.CONFIRMED
        ).values_list("municipality_id", "local_theme_id"):
            by_municipality[municipality_id].add(local_id)
        for municipality_id, local_ids in by_municipality.items():
            recompute_items(municipality_id=municipality_id, local_theme_ids=local_ids)
        _resuggest_for(theme)
        audit(
            actor=actor,
            action="platform_theme.activate" if active else "platform_theme.deactivate",
            object_type="platform_theme",
            theme=theme.pk,
            name=theme.name,
        )
    return theme


# --- suggestions -------------------------------------------------------------------------


def _theme_entries(themes: Iterable[Any]) -> dict[int, tuple[str, str]]:
    """Well-formed {"id", "name"[, "description"]} entries by id; anything else (a malformed
    payload) is skipped, not fatal: the relay must not stop on one bad theme."""
    out: dict[int, tuple[str, str]] = {}
    for entry in themes:
        if not isinstance(entry, dict):
            continue
        theme_id, name = entry.get("id"), entry.get("name")
        if not isinstance(theme_id, int) or isinstance(theme_id, bool) or theme_id <= 0 or theme_id >= 2**31:
            continue
        if not isinstance(name, str) or not name.strip():
            continue
        description = entry.get("description")
        out[theme_id] = (name.strip()[:LOCAL_NAME_MAX], description if isinstance(description, str) else "")
    return out


def _suggest(name: str, description: str, pool: list[Candidate]) -> tuple[int | None, float]:
    match = best_match(name, pool, description=description)
    return (match[0].id, match[1]) if match else (None, 0.0)


def ensure_suggestions(*, municipality: Municipality, themes: list[dict[str, Any]]) -> int:
    """Make sure each of the municipality's themes has a mapping row: a new theme gets a
    SUGGESTED row (with the best-fitting active platform theme, or none if nothing reaches
    the threshold); a renamed one gets its name updated (and, if still only suggested, a
    fresh suggestion). Confirmed and rejected rows keep their decision. Idempotent and safe
    against a concurrent call (the row's unique key decides). Returns how many rows were
    created or changed.

    The relay calls this for every outbox event that carries themes; the mapping page calls
    it for the municipality's current themes."""
    entries = _theme_entries(themes)
    if not entries:
        return 0
    pool: list[Candidate] | None = None
    changed = 0
    with transaction.atomic():
        existing = {
            row.local_theme_id: row
            for row in ThemeMapping.objects.filter(municipality=municipality, local_theme_id__in=list(entries))
        }
        new_rows: list[ThemeMapping] = []
        renamed: list[ThemeMapping] = []
        for theme_id, (name, description) in entries.items():
            row = existing.get(theme_id)
            if row is not None and row.local_theme_name == name:
                continue
            if pool is None:
                pool = selectors.candidates()
            if row is None:
                platform_id, value = _suggest(name, description, pool)
                new_rows.append(
                    ThemeMapping(
                        municipality=municipality,
                        local_theme_id=theme_id,
                        local_theme_name=name,
                        platform_theme_id=platform_id,
                        score=value,
                        status=MappingStatus.SUGGESTED,
                    )
                )
                continue
            row.local_theme_name = name
            if row.status == MappingStatus.SUGGESTED:
                row.platform_theme_id, row.score = _suggest(name, description, pool)
            renamed.append(row)
        if new_rows:
            created = ThemeMapping.objects.bulk_create(
                new_rows, ignore_conflicts=True, unique_fields=["municipality", "local_theme_id"]
            )
            changed += len(created)
        if renamed:
            ThemeMapping.objects.bulk_update(renamed, ["local_theme_name", "platform_theme", "score"])
            changed += len(renamed)
    return changed


def _resuggest_for(theme: PlatformTheme) -> None:
    """After the vocabulary changed around `theme`, keep undecided suggestions current:
    those that pointed at it are worked out again from the whole active vocabulary; the
    others only compare with it (one comparison each, so a vocabulary change stays cheap
    with thousands of pending suggestions)."""
    pending = list(ThemeMapping.objects.filter(status=MappingStatus.SUGGESTED))
    if not pending:
        return
    pool = selectors.candidates()
    mine = Candidate.of(theme.pk, theme.name, theme.description) if theme.is_active else None
    changed: list[ThemeMapping] = []
    for row in pending:
        if row.platform_theme_id == theme.pk:
            platform_id, value = _suggest(row.local_theme_name, "", pool)
        elif mine is not None:
            value = score(Local.of(row.local_theme_name), mine)
            if value < THRESHOLD or (row.platform_theme_id is not None and value <= row.score):
                continue
            platform_id = theme.pk
        else:
            continue
        if (platform_id, value) != (row.platform_theme_id, row.score):
            row.platform_theme_id, row.score = platform_id, value
            changed.append(row)
    if changed:
        ThemeMapping.objects.bulk_update(changed, ["platform_theme", "score"], batch_size=1000)


# --- a person's decision -----------------------------------------------------------------


def _clean_local(local_theme_id: int, local_theme_name: str) -> tuple[int, str]:
    errors: dict[str, list[str]] = {}
    if not isinstance(local_theme_id, int) or isinstance(local_theme_id, bool) or not 0 < local_theme_id < 2**31:
        errors["local_theme_id"] = [_("El tema del municipio no es válido.")]
    name = collect(errors, "local_theme_name", clean_name, local_theme_name, max_length=LOCAL_NAME_MAX) or ""
    raise_if(errors)
    return local_theme_id, name


def _decide(
    *,
    actor: User | None,
    municipality: Municipality,
    local_theme_id: int,
    local_theme_name: str,
    status: MappingStatus,
    platform_theme: PlatformTheme | None,
) -> ThemeMapping:
    from community.relay import hold_municipality

    with transaction.atomic():
        # A relay batch in flight read the mappings before this decision: wait for it, so
        # the recomputation below sees its rows (and later batches see this decision).
        hold_municipality(municipality.pk)
        row = (
            ThemeMapping.objects.select_for_update()
            .filter(municipality=municipality, local_theme_id=local_theme_id)
            .first()
        )
        if row is None:
            row = ThemeMapping(municipality=municipality, local_theme_id=local_theme_id)
        before = {"status": row.status if row.pk else "", "platform_theme": row.platform_theme_id}
        if status == MappingStatus.CONFIRMED:
            assert platform_theme is not None
            if row.platform_theme_id != platform_theme.pk or row.status != MappingStatus.SUGGESTED:
                # A person chose a theme the machine did not suggest: record how close it
                # is, so the console can spot unusual mappings.
                row.score = score(
                    Local.of(local_theme_name),
                    Candidate.of(platform_theme.pk, platform_theme.name, platform_theme.description),
                )
            row.platform_theme = platform_theme
        # A rejection keeps the suggestion it turned down (shown as "no corresponde a ...").
        row.status = status
        row.local_theme_name = local_theme_name
        row.decided_by = actor
        row.decided_at = timezone.now()
        row.save()
        recompute_items(municipality_id=municipality.pk, local_theme_ids={local_theme_id})
        audit(
            actor=actor,
            action=f"theme_mapping.{status}",
            object_type="theme_mapping",
            object_id=row.pk,
            slug=municipality.slug,
            local_theme=local_theme_id,
            platform_theme=row.platform_theme_id,
            before=before,
        )
    return row


def mapping_confirm(
    *,
    actor: User | None,
    municipality: Municipality,
    local_theme_id: int,
    local_theme_name: str,
    platform_theme: PlatformTheme | None,
) -> ThemeMapping:
    """The municipality's theme corresponds to `platform_theme` (the suggestion, or another
    one the person chose). Its shared items count under that theme from now on."""
    _require_mapping_decider(actor, municipality)
    local_theme_id, name = _clean_local(local_theme_id, local_theme_name)
    if platform_theme is None:
        raise ValidationError({"platform_theme": [_("Elija un tema de la plataforma.")]})
    fresh = PlatformTheme.objects.filter(pk=platform_theme.pk).first()
    if fresh is None or not fresh.is_active:
        raise ValidationError(
            {
                "platform_theme": [
                    _("El tema «%(name)s» ya no está en el vocabulario; elija otro.") % {"name": platform_theme}
                ]
            }
        )
    return _decide(
        actor=actor,
        municipality=municipality,
        local_theme_id=local_theme_id,
        local_theme_name=name,
        status=MappingStatus.CONFIRMED,
        platform_theme=fresh,
    )


def mapping_reject(
    *, actor: User | None, municipality: Municipality, local_theme_id: int, local_theme_name: str
) -> ThemeMapping:
    """ "No corresponde": the municipality's theme has no equivalent in the vocabulary. It
    is not suggested again; its items stop counting under any platform theme."""
    _require_mapping_decider(actor, municipality)
    local_theme_id, name = _clean_local(local_theme_id, local_theme_name)
    return _decide(
        actor=actor,
        municipality=municipality,
        local_theme_id=local_theme_id,
        local_theme_name=name,
        status=MappingStatus.REJECTED,
        platform_theme=None,
    )


# --- consequences in the index -----------------------------------------------------------


def recompute_items(*, municipality_id: int, local_theme_ids: Iterable[int]) -> list[int]:
    """Recompute `platform_themes` of the municipality's items that carry any of these
    local themes; changed items are marked for search and sent to it after commit. Returns
    the changed item ids."""
    ids = sorted(set(local_theme_ids))
    if not ids:
        return []
    condition = Q()
    for local_id in ids:
        condition |= Q(local_themes__contains=[{"id": local_id}])
    items = list(
        IndexItem.objects.filter(condition, municipality_id=municipality_id, withdrawn_at__isnull=True).only(
            "id", "local_themes", "platform_themes"
        )
    )
    if not items:
        return []
    mapped = selectors.confirmed_map(municipality_id)
    changed: list[IndexItem] = []
    for item in items:
        wanted = selectors.platform_themes_for([t.get("id") for t in item.local_themes if isinstance(t, dict)], mapped)
        if wanted != list(item.platform_themes):
            item.platform_themes = wanted
            item.search_dirty = True
            changed.append(item)
    if changed:
        IndexItem.objects.bulk_update(changed, ["platform_themes", "search_dirty"], batch_size=1000)
        _sync_after_commit([i.pk for i in changed])
    return [i.pk for i in changed]


def _touch_items(items: Any) -> None:
    """Items whose search documents must be rebuilt though their columns did not change."""
    ids = list(items.filter(withdrawn_at__isnull=True).values_list("pk", flat=True))
    if ids:
        IndexItem.objects.filter(pk__in=ids).update(search_dirty=True)
        _sync_after_commit(ids)


def _sync_after_commit(item_ids: list[int]) -> None:
    def sync() -> None:
        # Imported here: search depends on community, not the other way round, and the
        # search backend is written separately. Should it be missing (a partial checkout),
        # the items stay `search_dirty` and the next indexing pass picks them up.
        try:
            from search.indexing import sync_items
        except ImportError:
            logger.warning("search.indexing is not available; %d items stay marked for indexing", len(item_ids))
            return
        sync_items(item_ids)

    transaction.on_commit(sync)
