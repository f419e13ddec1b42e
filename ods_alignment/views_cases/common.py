"""What the workflow pages share: who may open them, and deadlines, agreement and the
case history in words."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ods_alignment import selectors
from ods_alignment.models import AlignmentCase, AlignmentEvent
from tenants.accounts.models import User, acting_user
from tenants.selectors import has_sdg_role, is_regional_team

PAGE_SIZE = 25
DEFAULT_DEADLINE_DAYS = 14


# --- Access -------------------------------------------------------------------------------------


def sdg_user(request: HttpRequest) -> tuple[User, bool]:
    """(user, is regional team) for anyone with an SDG role; a 404 for everyone else."""
    user = acting_user(request)
    if not has_sdg_role(user):
        raise Http404
    return user, is_regional_team(user)


def team_user(request: HttpRequest) -> User:
    user, team = sdg_user(request)
    if not team:
        raise Http404
    return user


def case_or_404(user: User, pk: int) -> AlignmentCase:
    case = selectors.case_for(user, pk)
    if case is None:
        raise Http404
    return case


def case_url(case: AlignmentCase, anchor: str = "") -> str:
    return reverse("ods:case", args=[case.pk]) + (f"#{anchor}" if anchor else "")


def case_action(anchor: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A case action's address (/ods/casos/<pk>/propuesta/...) does its work on POST only. A
    form with errors is shown at that address, so reloading the page, or switching language
    (which goes back to the current address), asks for it with GET: that goes back to the case
    page, at the action's section, instead of an empty 405. Other methods stay a 405."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, pk: int, *args: object, **kw: object) -> HttpResponse:
            if request.method in ("GET", "HEAD"):
                return redirect(reverse("ods:case", args=[pk]) + f"#{anchor}")
            if request.method != "POST":
                return HttpResponseNotAllowed(["GET", "POST"])
            return view(request, pk, *args, **kw)

        return wrapper

    return decorator


def flash_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- Words ----------------------------------------------------------------------------------------


def due_words(due: date, today: date) -> str:
    """A deadline in words relative to today: never only a colour."""
    days = (due - today).days
    if days < 0:
        return ngettext("vencida hace %(n)d día", "vencida hace %(n)d días", -days) % {"n": -days}
    if days == 0:
        return _("vence hoy")
    if days == 1:
        return _("vence mañana")
    return ngettext("vence en %(n)d día", "vence en %(n)d días", days) % {"n": days}


def kappa_words(kappa: float | None) -> str:
    """Landis and Koch's reading of a kappa, the scale the method's documents use."""
    if kappa is None:
        return _("sin dato")
    if kappa < 0:
        return _("menor que el azar")
    for limit, words in ((0.2, _("leve")), (0.4, _("aceptable")), (0.6, _("moderado")), (0.8, _("considerable"))):
        if kappa <= limit:
            return words
    return _("casi perfecto")


def percent(value: float | None) -> int | None:
    return None if value is None else round(value * 100)


def item_title(case: AlignmentCase) -> str:
    if case.item is not None and case.item.title:
        return case.item.title
    return _("Iniciativa que ya no se comparte (%(key)s)") % {"key": case.item_key}


def event_text(event: AlignmentEvent, names: dict[int, str]) -> str:
    """One line of the case's history, in words. A proposal's content is never told here:
    the proposals themselves show it once every one is in."""
    d = event.detail if isinstance(event.detail, dict) else {}
    who = (event.actor.full_name or event.actor.email) if event.actor is not None else _("El sistema")

    def name(key: str) -> str:
        value = d.get(key)
        return names.get(value, "—") if isinstance(value, int) else "—"

    def alignment() -> str:
        goals = ", ".join(_("ODS %(n)s") % {"n": n} for n in d.get("goals") or [])
        targets = ", ".join(str(t) for t in d.get("targets") or [])
        return goals + ("; " + _("metas %(codes)s") % {"codes": targets} if targets else "")

    action = event.action
    if action == "case.open":
        people = ", ".join(names.get(i, "—") for i in d.get("specialists") or [])
        return _("%(who)s abrió el caso: proponen %(people)s; lidera %(lead)s.") % {
            "who": who,
            "people": people,
            "lead": name("lead"),
        }
    if action == "assignment.reassign":
        return _("%(who)s reasignó la propuesta pendiente de %(old)s a %(new)s.") % {
            "who": who,
            "old": name("previous"),
            "new": name("specialist"),
        }
    if action == "proposal.submit":
        return _("%(who)s envió su propuesta independiente.") % {"who": who}
    if action == "case.in_review":
        kappa = d.get("kappa")
        overlap = d.get("target_overlap")
        number = isinstance(kappa, int | float) and isinstance(overlap, int | float)
        return _(
            "Llegaron todas las propuestas: acuerdo en objetivos %(kappa)s (%(words)s); metas en común %(pct)s %%."
        ) % {
            "kappa": floatformat(kappa, 2) if number else "—",
            "words": kappa_words(float(kappa)) if number else _("sin dato"),  # type: ignore[arg-type]
            "pct": percent(overlap) if number else "—",  # type: ignore[arg-type]
        }
    if action == "case.agreed":
        return _("Acuerdo automático: %(alignment)s.") % {"alignment": alignment()}
    if action == "case.disputed":
        return _("Sin acuerdo automático: el caso pasa a la persona líder para su adjudicación.")
    if action == "case.adjudicate":
        return _("%(who)s adjudicó: %(alignment)s. Motivo: %(reason)s") % {
            "who": who,
            "alignment": alignment(),
            "reason": d.get("reason", ""),
        }
    if action == "case.publish":
        return _("%(who)s publicó la alineación: %(alignment)s.") % {"who": who, "alignment": alignment()}
    return f"{who}: {action}"
