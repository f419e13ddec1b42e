"""Reads of the public method page (/ods/metodo/): its editable text (the regional team's
latest revision, else the default text below), the text as blocks to render, its history,
and live figures computed from the workflow."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Avg, Count, Q
from django.utils.translation import get_language

from ods_alignment import agreement
from ods_alignment.models import AlignmentCase, CaseStatus, MethodPageRevision, Proposal

HISTORY_SIZE = 50

# The default text, shown until the regional team saves its own (and the edit form's starting
# point). Kept in code rather than seeded by a data migration: it describes the method as the
# services implement it, so it changes with them in the same commit, and a fresh platform, a
# test database or a rebuilt template schema shows it with nothing to load. The first save
# turns it into the first revision, and from then on the team's text is the page.
DEFAULT_METHOD_TEXT: dict[str, str] = {
    "es": """\
Cada iniciativa que un municipio comparte con la comunidad puede alinearse con los Objetivos de Desarrollo
Sostenible (ODS): sus 17 objetivos y 169 metas, y las metas locales que el equipo regional añade bajo una
meta oficial cuando los municipios adaptan la Agenda 2030 a su territorio. La alineación no la decide una
sola persona ni una máquina: la hacen especialistas en ODS, por consenso, en cuatro pasos.

## 1. Dos propuestas independientes y a ciegas
El equipo regional abre un caso para la iniciativa, con una fecha límite, y asigna al menos dos
especialistas y una persona especialista líder distinta de ellas. Cada especialista elige por su cuenta los
objetivos y las metas a los que contribuye la iniciativa, indica si cada contribución es directa o indirecta
y escribe una justificación, con la evidencia que la respalde.

Nadie ve las propuestas de los demás hasta que todas han llegado: ni las otras especialistas, ni la persona
líder, ni el equipo regional. Quien pertenece al gobierno del municipio de la iniciativa no puede alinearla
(conflicto de interés).

## 2. Medición del acuerdo
Cuando llegan todas las propuestas, el sistema mide cuánto coinciden:
- en los objetivos, con el coeficiente kappa de Cohen sobre las 17 decisiones «sí o no» de cada especialista
  (1 es acuerdo total; 0, el acuerdo que se esperaría por azar);
- en las metas, con el solapamiento: las metas que todas eligieron, sobre todas las metas elegidas por
  alguna.

Con más de dos especialistas se usa la media de todos los pares. El acuerdo de cada par de especialistas
también se sigue a lo largo del tiempo.

Si todas las propuestas eligieron exactamente los mismos objetivos, el caso queda acordado: se toman esos
objetivos y solo las metas que eligieron todas, y una contribución cuenta como directa solo si todas la
consideraron directa.

## 3. Adjudicación
Si los objetivos no coinciden, el caso pasa a la persona especialista líder. Ella ve todas las propuestas,
decide la alineación final y registra la razón de su decisión, que queda guardada con el caso.

## 4. Publicación
La persona líder o el equipo regional publica la alineación acordada o adjudicada en el índice de la
comunidad. Desde ese momento aparece en estas páginas (si la iniciativa es pública), en la búsqueda de la
comunidad y en el espacio de trabajo del propio municipio. Si el municipio deja de compartir la iniciativa,
su alineación deja de mostrarse; si vuelve a compartirla, la alineación publicada vuelve con ella.

## Sugerencias automáticas
Cuando una especialista abre un caso, el sistema le sugiere objetivos y metas, con una puntuación y las
palabras del texto que motivaron cada sugerencia. Es solo una ayuda para leer la iniciativa: una sugerencia
nunca se convierte en alineación sin la propuesta de una persona especialista.""",
    "en": """\
Every initiative a municipality shares with the community can be aligned with the Sustainable Development
Goals (SDGs): their 17 goals and 169 targets, and the local targets the regional team adds under an official
target as municipalities adapt the 2030 Agenda to their territory. No single person and no machine decides
the alignment: SDG specialists reach it by consensus, in four steps.

## 1. Two independent, blind proposals
The regional team opens a case for the initiative, with a deadline, and assigns at least two specialists and
a lead specialist who is neither of them. Each specialist chooses on their own the goals and targets the
initiative contributes to, says whether each contribution is direct or indirect, and writes a justification,
with the evidence behind it.

Nobody sees the others' proposals until all of them are in: not the other specialists, not the lead, not the
regional team. Anyone who belongs to the government of the initiative's municipality cannot align it
(conflict of interest).

## 2. Measuring agreement
When every proposal is in, the system measures how far they agree:
- on goals, with Cohen's kappa over each specialist's 17 "yes or no" decisions (1 is full agreement; 0 is
  the agreement expected by chance);
- on targets, with the overlap: the targets everyone chose, over all the targets anyone chose.

With more than two specialists, the mean over every pair is used. The agreement of each pair of specialists
is also followed over time.

If every proposal chose exactly the same goals, the case is agreed: those goals are taken, with only the
targets everyone chose, and a contribution counts as direct only if everyone considered it direct.

## 3. Adjudication
If the goals differ, the case goes to the lead specialist, who sees every proposal, decides the final
alignment and records the reason for the decision, which is kept with the case.

## 4. Publication
The lead or the regional team publishes the agreed or adjudicated alignment to the community index. From
then on it appears on these pages (if the initiative is public), in the community search and in the
municipality's own workspace. If the municipality stops sharing the initiative, its alignment is no longer
shown; if it shares it again, the published alignment comes back with it.

## Automatic suggestions
When a specialist opens a case, the system suggests goals and targets, with a score and the words of the
text that prompted each suggestion. It is only an aid to reading the initiative: a suggestion never becomes
an alignment without a specialist's proposal.""",
}


@dataclass(frozen=True)
class Block:
    kind: str  # "heading" | "paragraph" | "list"
    text: str = ""
    items: tuple[str, ...] = ()


def text_blocks(text: str) -> list[Block]:
    """The page's plain text as blocks for the template to render (which escapes them):
    blank lines separate paragraphs (lines in between are joined), a line starting with "## "
    is a subheading, a line starting with "- " starts a list item. Nothing else is markup."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block("paragraph", " ".join(paragraph)))
            paragraph.clear()
        if bullets:
            blocks.append(Block("list", items=tuple(bullets)))
            bullets.clear()

    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("## "):
            flush()
            if heading := line[3:].strip():
                blocks.append(Block("heading", heading))
        elif line.startswith("- "):
            if paragraph:
                flush()
            if item := line[2:].strip():
                bullets.append(item)
        elif bullets:
            bullets[-1] = f"{bullets[-1]} {line}"  # a wrapped list item goes on until a blank line
        else:
            paragraph.append(line)
    flush()
    return blocks


def current_revision() -> MethodPageRevision | None:
    return MethodPageRevision.objects.select_related("edited_by").order_by("-version").first()


@dataclass(frozen=True)
class MethodText:
    text: str
    language: str  # the language of `text` (Spanish when the active one has none)
    revision: MethodPageRevision | None  # None: the default text


def method_text(language: str | None = None, *, revision: MethodPageRevision | None = None) -> MethodText:
    """The text in the active language, falling back to Spanish."""
    language = (language or get_language() or "es")[:2]
    texts = {"es": revision.body_es, "en": revision.body_en} if revision is not None else DEFAULT_METHOD_TEXT
    if texts.get(language):
        return MethodText(texts[language], language, revision)
    return MethodText(texts["es"], "es", revision)


def method_history(limit: int = HISTORY_SIZE) -> list[MethodPageRevision]:
    return list(MethodPageRevision.objects.select_related("edited_by").order_by("-version")[:limit])


@dataclass(frozen=True)
class MethodFigures:
    published: int
    in_progress: int
    waiting_proposals: int  # open (and in review)
    waiting_adjudication: int  # disputed
    waiting_publication: int  # agreed or adjudicated, not yet published
    decided: int  # agreed, adjudicated or published
    by_agreement: int
    by_adjudication: int
    pooled_kappa: float | None  # over every specialist pair of every case past the blind stage
    compared_pairs: int  # (case, pair of specialists) comparisons behind it
    mean_target_overlap: float | None

    @property
    def agreement_share(self) -> float | None:
        return self.by_agreement / self.decided if self.decided else None

    @property
    def adjudication_share(self) -> float | None:
        return self.by_adjudication / self.decided if self.decided else None


def _pooled_kappa() -> tuple[float | None, int]:
    """Cohen's kappa pooled over every pair of proposals of every case past the blind stage
    (17 decisions per pair), as selectors.pair_agreements pools one pair's cases: one query
    of goal arrays, no model instances."""
    rows: Iterable[tuple[int, int, list[int | None]]] = (
        Proposal.objects.exclude(case__status=CaseStatus.OPEN)
        .values_list("case_id", "specialist_id")
        .annotate(goals=ArrayAgg("goal_rows__goal__number"))
        .order_by("case_id", "specialist_id")
    )
    by_case: dict[int, list[set[int]]] = {}
    for case_id, _specialist, goals in rows:
        by_case.setdefault(case_id, []).append({g for g in goals if g is not None})
    pairs = [pair for sets in by_case.values() for pair in combinations(sets, 2)]
    return agreement.pooled_kappa(pairs), len(pairs)


def method_figures() -> MethodFigures:
    decided_states = [CaseStatus.AGREED, CaseStatus.ADJUDICATED, CaseStatus.PUBLISHED]
    decided = Q(status__in=decided_states)
    # Adjudication requires a reason and agreement never sets one: the reason tells them apart
    # after publication, when both are "published".
    counts = AlignmentCase.objects.aggregate(
        published=Count("pk", filter=Q(status=CaseStatus.PUBLISHED)),
        in_progress=Count("pk", filter=~Q(status=CaseStatus.PUBLISHED)),
        waiting_proposals=Count("pk", filter=Q(status__in=[CaseStatus.OPEN, CaseStatus.IN_REVIEW])),
        waiting_adjudication=Count("pk", filter=Q(status=CaseStatus.DISPUTED)),
        waiting_publication=Count("pk", filter=Q(status__in=[CaseStatus.AGREED, CaseStatus.ADJUDICATED])),
        decided=Count("pk", filter=decided),
        by_adjudication=Count("pk", filter=decided & ~Q(decision_reason="")),
        overlap=Avg("target_overlap"),
    )
    kappa, pairs = _pooled_kappa()
    return MethodFigures(
        published=counts["published"],
        in_progress=counts["in_progress"],
        waiting_proposals=counts["waiting_proposals"],
        waiting_adjudication=counts["waiting_adjudication"],
        waiting_publication=counts["waiting_publication"],
        decided=counts["decided"],
        by_agreement=counts["decided"] - counts["by_adjudication"],
        by_adjudication=counts["by_adjudication"],
        pooled_kappa=kappa,
        compared_pairs=pairs,
        mean_target_overlap=counts["overlap"],
    )
