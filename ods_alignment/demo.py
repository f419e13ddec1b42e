"""Demo data of the SDG alignment: three SDG specialists and a few cases on the demo
municipalities' shared initiatives, in every state a specialist meets (published after
agreement, published after adjudication, a dispute waiting for its lead, proposals still
due, one of them overdue), created through the same services people use.

Idempotent and resumable: a case is found by its initiative's key, and each step (proposal,
adjudication, publication) is taken only if the case is still where that step applies, so
running it again changes nothing and a run that stopped half-way is completed. Cases people
have since moved on in the demo are left as they are. Needs the SDG catalogue and the
community index (tenants.demo.load_demo loads both first)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from community.models import IndexItem, ItemKind
from ods_alignment.models import AlignmentCase, Assignment, CaseStatus, Contribution, Proposal
from ods_alignment.services import adjudicate, case_open, case_publish, proposal_submit
from tenants.accounts.models import User
from tenants.roles import PlatformRole
from tenants.selectors import has_platform_role, is_regional_team

log = logging.getLogger("ods_alignment.demo")

# Key -> (email, full name). "ods" is the specialist of the platform's demo people
# (tenants/demo.py PLATFORM_PEOPLE): the one a visitor logs in as.
SPECIALISTS = {
    "ods": ("ods@sigobito.example.org", "Paula Andrade Ríos"),
    "ods2": ("ods2@sigobito.example.org", "Julián Mora Vega"),
    "ods3": ("ods3@sigobito.example.org", "Carmen Lucía Ortiz"),
}
REGIONAL_EMAIL = "regional@sigobito.example.org"


@dataclass(frozen=True)
class DemoProposal:
    specialist: str  # a SPECIALISTS key
    goals: dict[int, str]
    targets: dict[str, str]
    justification: str
    evidence: str = ""


@dataclass(frozen=True)
class DemoAdjudication:
    goals: dict[int, str]
    targets: dict[str, str]
    reason: str


@dataclass(frozen=True)
class DemoCase:
    slug: str  # the municipality
    title: str  # the shared initiative (tenants/initiatives/demo_data.py)
    specialists: tuple[str, str]
    lead: str
    # Deadline in days from the day the case is opened; negative: overdue. The services
    # refuse a deadline in the past, as they should, so an overdue case is opened as due
    # today and then dated back, as if it had been opened weeks ago (_date_back).
    due_in: int
    proposals: tuple[DemoProposal, ...] = ()
    adjudication: DemoAdjudication | None = None
    publish: bool = False
    expected: CaseStatus = CaseStatus.OPEN  # where the plan leaves it (for the tests)


D, IND = Contribution.DIRECT.value, Contribution.INDIRECT.value

CASES: tuple[DemoCase, ...] = (
    # Agreed independently, published by its lead.
    DemoCase(
        "villa-esperanza",
        "Acueducto veredal Alto del Águila",
        specialists=("ods", "ods3"),
        lead="ods2",
        due_in=20,
        proposals=(
            DemoProposal(
                "ods",
                {6: D},
                {"6.1": D, "6.b": IND},
                "El acueducto lleva agua potable a 850 personas de la vereda (6.1); el comité de agua "
                "participa en su gestión (6.b).",
                "Ficha técnica del proyecto y acta del comité de agua.",
            ),
            DemoProposal(
                "ods3",
                {6: D},
                {"6.1": D},
                "Acceso universal y equitativo al agua potable en una vereda sin red: meta 6.1.",
            ),
        ),
        publish=True,
        expected=CaseStatus.PUBLISHED,
    ),
    # The specialists disagreed on the goals; the lead adjudicated and published.
    DemoCase(
        "san-miguel",
        "Agua potable para la aldea San Lorenzo El Cubo",
        specialists=("ods2", "ods3"),
        lead="ods",
        due_in=15,
        proposals=(
            DemoProposal(
                "ods2",
                {6: D},
                {"6.1": D},
                "Conexión domiciliar de agua potable para 1.150 habitantes de la aldea.",
            ),
            DemoProposal(
                "ods3",
                {6: D, 3: IND},
                {"6.1": D, "3.9": IND},
                "Agua potable (6.1) y, con ella, menos enfermedades de origen hídrico en la aldea (3.9).",
                "Informe del centro de salud sobre diarreas en menores de cinco años.",
            ),
        ),
        adjudication=DemoAdjudication(
            {6: D, 3: IND},
            {"6.1": D, "3.9": IND},
            "El objetivo es el agua potable (6.1, directa); el informe del centro de salud sustenta la "
            "contribución indirecta a la salud (3.9).",
        ),
        publish=True,
        expected=CaseStatus.PUBLISHED,
    ),
    # Disputed: waiting for the lead (ods@) to adjudicate, due soon.
    DemoCase(
        "puerto-azul",
        "Remodelación del mercado de mariscos de La Marina",
        specialists=("ods2", "ods3"),
        lead="ods",
        due_in=2,
        proposals=(
            DemoProposal(
                "ods2",
                {8: D, 11: IND},
                {"8.3": D, "11.a": IND},
                "Mejores condiciones para las vendedoras del mercado (8.3) y vínculo entre la pesca "
                "artesanal y la ciudad (11.a).",
            ),
            DemoProposal(
                "ods3",
                {8: D, 14: IND},
                {"8.3": D, "14.b": D},
                "El mercado es la salida de la pesca artesanal de La Marina: acceso de los pescadores a los "
                "mercados (14.b) y empleo local (8.3).",
            ),
        ),
        expected=CaseStatus.DISPUTED,
    ),
    # Open and overdue: the other specialist has proposed, ods@ has not (blind until both are in).
    DemoCase(
        "san-miguel",
        "Renovación del mercado municipal",
        specialists=("ods", "ods2"),
        lead="ods3",
        due_in=-3,
        proposals=(
            DemoProposal(
                "ods2",
                {8: D, 11: IND},
                {"8.3": D, "11.3": IND},
                "Locales formales para las vendedoras del mercado (8.3) y un espacio público ordenado en la "
                "cabecera (11.3).",
            ),
        ),
        expected=CaseStatus.OPEN,
    ),
    # Open, nobody has proposed yet.
    DemoCase(
        "villa-esperanza",
        "Placa huella en la vía Pie de Monte - El Roble",
        specialists=("ods", "ods3"),
        lead="ods2",
        due_in=9,
        expected=CaseStatus.OPEN,
    ),
)


def _specialists() -> dict[str, User]:
    """The demo specialists, created when missing (existing accounts are left as they are:
    name, password and roles are not rewritten on every run)."""
    from tenants import services
    from tenants.accounts.services import user_create_or_update
    from tenants.demo import DEMO_PASSWORD

    users = {}
    for key, (email, name) in SPECIALISTS.items():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = user_create_or_update(email=email, full_name=name, password=DEMO_PASSWORD)
        if not has_platform_role(user, PlatformRole.SDG_SPECIALIST):
            services.platform_role_grant(actor=None, user=user, role=PlatformRole.SDG_SPECIALIST)
            user = User.objects.get(pk=user.pk)  # roles are cached on the instance
        users[key] = user
    return users


def _item(plan: DemoCase) -> IndexItem | None:
    return IndexItem.objects.filter(
        municipality__slug=plan.slug, kind=ItemKind.INITIATIVE, title=plan.title, withdrawn_at__isnull=True
    ).first()


def _date_back(case: AlignmentCase, days: int) -> None:
    """An overdue case: its deadline and assignments `days` ago, opened two weeks before."""
    deadline = timezone.localdate() - timedelta(days=days)
    AlignmentCase.objects.filter(pk=case.pk).update(
        deadline=deadline, created_at=timezone.now() - timedelta(days=days + 14)
    )
    Assignment.objects.filter(case=case).update(due_date=deadline)
    case.refresh_from_db()


def _run(plan: DemoCase, users: dict[str, User], opener: User | None) -> AlignmentCase | None:
    item = _item(plan)
    if item is None:
        log.warning("SDG demo: %s has no shared initiative «%s»; case skipped.", plan.slug, plan.title)
        return None
    lead = users[plan.lead]
    case = AlignmentCase.objects.filter(item_key=item.key).first()
    if case is None:
        case = case_open(
            actor=opener or lead,
            item=item,
            specialists=[users[key] for key in plan.specialists],
            lead=lead,
            deadline=timezone.localdate() + timedelta(days=max(plan.due_in, 0)),
        )
        if plan.due_in < 0:
            _date_back(case, -plan.due_in)
    for proposal in plan.proposals:
        specialist = users[proposal.specialist]
        if case.status != CaseStatus.OPEN or Proposal.objects.filter(case=case, specialist=specialist).exists():
            continue
        proposal_submit(
            actor=specialist,
            case=case,
            goals=proposal.goals,
            targets=proposal.targets,
            justification=proposal.justification,
            evidence=proposal.evidence,
        )
        case.refresh_from_db()
    if plan.adjudication is not None and case.status == CaseStatus.DISPUTED:
        decision = plan.adjudication
        case = adjudicate(actor=lead, case=case, goals=decision.goals, targets=decision.targets, reason=decision.reason)
    if plan.publish and case.status in (CaseStatus.AGREED, CaseStatus.ADJUDICATED):
        case = case_publish(actor=lead, case=case)
    return case


def load_alignment_demo() -> list[AlignmentCase]:
    """Create (or complete) the demo specialists and cases; returns the demo cases found or
    made. One transaction: a failure leaves nothing half-made. Publication writes the index
    rows and syncs search when the transaction commits."""
    with transaction.atomic():
        users = _specialists()
        regional = User.objects.filter(email__iexact=REGIONAL_EMAIL).first()
        opener = regional if regional is not None and is_regional_team(regional) else None
        cases = [_run(plan, users, opener) for plan in CASES]
    return [case for case in cases if case is not None]
