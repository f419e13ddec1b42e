"""What search needs of the SDG catalogue (ods_alignment, public schema): labels for the goal
and target facets, which target codes exist, and the targets to choose from, grouped by
goal. Search reads the catalogue here and nowhere else."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from ods_alignment.models import TARGET_CODE, Target, sort_key
from ods_alignment.selectors import goals

TARGET_CODE_MAX = 12  # IndexItem.sdg_targets and Target.code
# Target titles are whole sentences: facets (a narrow column) and the select show their
# beginning.
FACET_TITLE_CHARS = 40
CHOICE_TITLE_CHARS = 70


def normalise_code(value: object) -> str:
    return str(value).strip().lower()


def code_order(code: str) -> str:
    """A goal number or target code as a key that sorts in the official order."""
    try:
        return sort_key(code)
    except ValueError:
        return f"2{code}"


def goal_label(number: int | str, short: str = "") -> str:
    if short:
        return _("ODS %(number)s: %(short)s") % {"number": number, "short": short}
    return _("ODS %(goal)s") % {"goal": number}


def goal_labels(values: Iterable[str]) -> dict[str, str]:
    """ "6" -> "ODS 6: Agua limpia y saneamiento" (the short name in the active language);
    a goal missing from the catalogue keeps its number."""
    numbers = [int(v) for v in values if str(v).isdigit()]
    shorts = {goal.number: goal.short for goal in goals().filter(number__in=numbers)}
    return {str(v): goal_label(v, shorts.get(int(v), "") if str(v).isdigit() else "") for v in values}


def _target_label(code: str, title: str, is_local: bool, *, chars: int) -> str:
    text = Truncator(title).chars(chars)
    if is_local:
        return _("%(code)s (meta local): %(title)s") % {"code": code, "title": text}
    return _("%(code)s: %(title)s") % {"code": code, "title": text}


def target_labels(values: Iterable[str]) -> dict[str, str]:
    """ "6.1" -> "6.1: De aquí a 2030, lograr el acceso universal…"; an unknown code keeps
    itself."""
    codes = list(values)
    rows = Target.objects.filter(code__in=codes)
    labels = {t.code: _target_label(t.code, t.title, t.is_local, chars=FACET_TITLE_CHARS) for t in rows}
    return {code: labels.get(code, code) for code in codes}


def existing_targets(codes: Iterable[str]) -> set[str]:
    return set(Target.objects.filter(code__in=list(codes)).values_list("code", flat=True))


def target_code_errors(codes: Sequence[str]) -> list[str]:
    """What is wrong with these (normalised) target codes, in the active language: codes
    that cannot be a target, and codes the catalogue does not have. One query."""
    errors = []
    well_formed = []
    for code in codes:
        if TARGET_CODE.match(code):
            well_formed.append(code)
        else:
            errors.append(
                _("«%(code)s» no es un código de meta ODS (por ejemplo 6.1, 6.a o una meta local como 11.2.1).")
                % {"code": code}
            )
    known = existing_targets(well_formed) if well_formed else set()
    for code in well_formed:
        if code not in known:
            errors.append(_("No existe la meta ODS %(code)s.") % {"code": code})
    return errors


@dataclass(frozen=True)
class TargetGroup:
    goal: int
    label: str  # "ODS 6: Agua limpia y saneamiento"
    targets: list[tuple[str, str]]  # (code, label), in the official order


def target_choices(goal_numbers: Sequence[int] = ()) -> list[TargetGroup]:
    """Every target (official and local) grouped by goal, in the official order; only the
    goals in `goal_numbers` when given. One query."""
    rows = Target.objects.select_related("goal").order_by("goal__number", "sort_key")
    if goal_numbers:
        rows = rows.filter(goal__number__in=list(goal_numbers))
    groups: list[TargetGroup] = []
    for target in rows:
        if not groups or groups[-1].goal != target.goal.number:
            groups.append(TargetGroup(target.goal.number, goal_label(target.goal.number, target.goal.short), []))
        label = _target_label(target.code, target.title, target.is_local, chars=CHOICE_TITLE_CHARS)
        groups[-1].targets.append((target.code, label))
    return groups
