"""Demo communication actions for the demo municipalities: the news page channel, a disabled
X account and a webhook still without its secret (so the "missing credentials" state shows),
six actions that between them are in every status and come from every origin (two accepted
from the inbox, which keeps other suggestions), pieces of every kind with approvals, three
pieces on the public news page (one with its reach) and one publication that failed.

Everything goes through the services, as the municipality's communications editor and its
mayor, so the audit trail looks like real use. Idempotent: a municipality that already has
actions is left alone. Dates are relative to the municipality's today; wording is local."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from tenants.accounts.models import User
from tenants.communications import selectors, services
from tenants.communications.models import (
    ActionStatus,
    Channel,
    ChannelKind,
    CommunicationAction,
    Origin,
    Piece,
    PieceKind,
    PublicationStatus,
)
from tenants.communications.services.publishing import max_attempts
from tenants.db import local_today, local_tz
from tenants.initiatives.models import Aro, AroKind
from tenants.roles import MunicipalRole as R
from tenants.structure.models import Place, Theme

# A closed local port: the demo's "screens" webhook fails honestly (connection refused),
# attempt after attempt, without sending anything anywhere.
UNREACHABLE = "http://127.0.0.1:9/pantallas"
# Stop retrying the failing webhook if an attempt is slow (a proxy, a filtered port): the
# publication is then left waiting for its retry, which is also a state worth seeing.
SLOW_ATTEMPT_SECONDS = 2.0


@dataclass(frozen=True)
class Local:
    radio: str
    handle: str
    bulletin: str
    rains: str  # what people call the rainy season
    rural: str  # the rural subdivisions
    fair: str  # the yearly event that was postponed


LOCAL: dict[str, Local] = {
    "san-miguel": Local(
        radio="Radio Comunitaria Valle Verde", handle="@MuniSanMiguelV", bulletin="Boletín de los COCODE",
        rains="el invierno", rural="las aldeas", fair="la feria titular",
    ),
    "villa-esperanza": Local(
        radio="Esperanza Estéreo", handle="@AlcaldiaVillaEsp", bulletin="Boletín de las juntas de acción comunal",
        rains="la temporada de lluvias", rural="las veredas", fair="las fiestas del aniversario",
    ),
    "puerto-azul": Local(
        radio="Radio Costa Azul", handle="@MunicipioPtoAzul", bulletin="Boletín de las juntas comunales",
        rains="la temporada lluviosa", rural="los corregimientos", fair="las fiestas patronales",
    ),
}  # fmt: skip


def _user(people: dict[str, tuple[str, str]], role: str) -> User | None:
    email = people.get(role, ("", ""))[1]
    return User.objects.filter(email__iexact=email).first() if email else None


def load_communications(*, slug: str, people: dict[str, tuple[str, str]]) -> None:
    """Fill the current municipality's schema. `people`: role -> (full name, email)."""
    if CommunicationAction.objects.exists():
        return
    words = LOCAL.get(slug, LOCAL["villa-esperanza"])
    editor = _user(people, R.COMMUNICATIONS_EDITOR)
    mayor = _user(people, R.MAYOR)
    # Dates read in the municipality's time zone, as they would in one of its requests. The
    # demo's webhooks are made-up addresses (one a closed local port, to fail honestly), set
    # by the operator who loads the demo rather than by a channel manager: they are allowed
    # as in development (services/channels.py, check_endpoint).
    with (
        timezone.override(local_tz()),
        override_settings(COMMUNICATIONS_ALLOW_CUSTOM_ENDPOINTS=True),
        transaction.atomic(),
    ):
        _load(words, editor, mayor)


def _load(words: Local, editor: User | None, mayor: User | None) -> None:
    today = local_today()
    web = services.web_channel()
    x = services.channel_save(
        actor=editor, data={"kind": ChannelKind.X, "name": f"X {words.handle}", "account": words.handle,
                            "is_active": False},
    )  # fmt: skip
    services.channel_save(
        actor=editor, data={"kind": ChannelKind.WEBHOOK, "name": words.bulletin,
                            "endpoint_url": "https://boletin.example.org/publicaciones", "max_length": 1200},
    )  # fmt: skip
    screens = services.channel_save(
        actor=editor,
        data={"kind": ChannelKind.WEBHOOK, "name": "Pantallas informativas del parque", "endpoint_url": UNREACHABLE},
        credentials={"secret": "demo-pantallas-parque"},
    )
    themes = list(Theme.objects.filter(is_active=True, depth__gte=2).order_by("pk")[:3])
    places = list(Place.objects.filter(is_active=True).order_by("pk")[:3])

    def piece(action: CommunicationAction, kind: str, title: str, summary: str, body: str, **extra: Any) -> Piece:
        data = {"kind": kind, "title": title, "summary": summary, "body": body, **extra}
        return services.piece_save(actor=editor, action=action, data=data)

    def approve(*pieces: Piece) -> None:
        for item in pieces:
            services.piece_approve(actor=mayor, piece=item, version=item.version)

    def status(action: CommunicationAction, to: str, **extra: Any) -> CommunicationAction:
        return services.action_set_status(actor=editor, action=action, status=to, **extra)

    def publish_on_web(item: Piece, reach: int | None = None) -> None:
        publication = services.publication_request(actor=editor, piece=item, channel=web)
        # The web channel sends nothing: publish now rather than wait for a worker.
        services.publication_attempt(publication_id=publication.pk)
        if reach is not None:
            publication.refresh_from_db()
            services.publication_set_reach(
                actor=editor, publication=publication, reach=reach,
                note="Visitas a la noticia en la primera semana, según la página del municipio.",
            )  # fmt: skip

    inbox = selectors.suggestions(today)

    # 1. From the inbox: yesterday's public visit (done, so it is news now) → published.
    visit = next((s for s in inbox if s.source == "activity" and s.done), None) or next(
        (s for s in inbox if s.source == "activity"), None
    )
    if visit is not None:
        action = services.suggestion_accept(actor=editor, source="activity", source_id=visit.id)
        action = services.action_save(
            actor=editor, action=action,
            data={"message": f"Contar qué se vio en «{visit.title}» y qué sigue para {words.rural}.",
                  "audience": f"Vecinos de {words.rural} y oyentes de {words.radio}"},
        )  # fmt: skip
        news = piece(
            action, PieceKind.WEB_NEWS, f"{visit.title}: lo que se acordó",
            "La alcaldía recorrió la obra con la comunidad y acordó los próximos pasos.",
            "Durante el recorrido, la comunidad y el equipo técnico revisaron el avance de la obra. "
            "Se acordó una nueva visita en un mes y un canal de comunicación directo con la junta de vecinos.",
        )  # fmt: skip
        post = piece(
            action, PieceKind.SOCIAL_POST, "Recorrido con la comunidad",
            "Recorrimos la obra con la comunidad y acordamos los próximos pasos.",
            "Recorrimos la obra con la comunidad y acordamos los próximos pasos. Más en la página de noticias.",
        )  # fmt: skip
        services.variant_save(
            actor=editor, piece=post, channel=x,
            text=f"Recorrimos la obra con la comunidad de {words.rural} y acordamos los próximos pasos. "
                 f"Escuche el resumen en {words.radio}.",
        )  # fmt: skip
        post.refresh_from_db()
        approve(news, post)
        status(action, ActionStatus.READY)
        publish_on_web(news, reach=640)

    # 2. From the inbox: a milestone flagged for communication → just identified.
    milestone = next((s for s in inbox if s.source == "milestone"), None)
    if milestone is not None:
        services.suggestion_accept(actor=editor, source="milestone", source_id=milestone.id)

    # 3. Institutional, in preparation: a press release waiting for the mayor's approval.
    rains = services.action_save(
        actor=editor,
        data={"title": f"Prevención ante {words.rains}", "origin": Origin.INSTITUTIONAL,
              "message": "Qué hacer antes y durante las lluvias fuertes, y a qué número llamar.",
              "audience": f"Familias de las zonas bajas y de {words.rural}", "planned_date": today + timedelta(days=5),
              "themes": themes[:1], "places": places[:2], "editor_id": editor.pk if editor else None},
    )  # fmt: skip
    piece(
        rains, PieceKind.PRESS_RELEASE, f"La alcaldía activa su plan para {words.rains}",
        "Limpieza de canales, puntos de encuentro y una línea de emergencia atendida día y noche.",
        "La alcaldía inició la limpieza de canales y quebradas y señalizó los puntos de encuentro. "
        "Ante una emergencia, llame a la línea municipal o acuda al punto de encuentro más cercano.",
    )  # fmt: skip

    # 4. An opportunity raised on an initiative (or institutional): ready, with a failed send.
    aro = (
        Aro.objects.filter(kind=AroKind.OPPORTUNITY, is_open=True).exclude(aro_type__key="communicational").first()
        or Aro.objects.filter(kind=AroKind.OPPORTUNITY, is_open=True).first()
    )
    origin = {"origin": Origin.OPPORTUNITY, "aro": aro} if aro is not None else {"origin": Origin.INSTITUTIONAL}
    fair = services.action_save(
        actor=editor,
        data={"title": "Feria de servicios municipales en el parque central", **origin,
              "message": "Invitar a hacer trámites, vacunarse y conocer los programas en un solo lugar.",
              "audience": "Toda la población", "planned_date": today + timedelta(days=10), "themes": themes[1:2],
              "places": places[:1]},
    )  # fmt: skip
    invitation = piece(
        fair, PieceKind.SOCIAL_POST, "Feria de servicios: trámites en un solo lugar",
        "El sábado, feria de servicios municipales en el parque central.",
        "El sábado, de 8:00 a 14:00, feria de servicios municipales en el parque central: trámites, vacunación "
        "y programas sociales en un solo lugar.",
    )  # fmt: skip
    spot = piece(
        fair, PieceKind.SCRIPT, f"Cuña para {words.radio}",
        "Cuña de 30 segundos.",
        "LOCUTORA: ¿Tiene trámites pendientes? Este sábado, la alcaldía lo espera en el parque central. "
        "LOCUTOR: Trámites, vacunación y programas sociales, en un solo lugar.",
        video_url="https://video.example.org/cuna-feria",
    )  # fmt: skip
    approve(invitation, spot)
    status(fair, ActionStatus.READY)
    _fail_on(screens, editor, invitation)

    # 5. Institutional, published and closed with its results: two pieces on the news page.
    accountability = services.action_save(
        actor=editor,
        data={"title": "Rendición de cuentas del semestre", "origin": Origin.INSTITUTIONAL,
              "message": "Invitar a la audiencia pública y contar después lo que se presentó.",
              "audience": f"Toda la población, juntas y organizaciones de {words.rural}",
              "planned_date": today - timedelta(days=12), "themes": themes[2:3]},
    )  # fmt: skip
    invite = piece(
        accountability, PieceKind.WEB_NEWS, "Audiencia pública de rendición de cuentas",
        "La alcaldía presentó el avance de sus iniciativas prioritarias y respondió preguntas.",
        "En la audiencia pública se presentaron el avance de las iniciativas prioritarias, la ejecución del "
        "presupuesto y los compromisos del próximo semestre. Las preguntas sin respuesta se contestarán por escrito.",
    )  # fmt: skip
    release = piece(
        accountability, PieceKind.PRESS_RELEASE, "Informe del semestre disponible para consulta",
        "El informe completo puede consultarse en la alcaldía y en la página de noticias.",
        "El informe de gestión del semestre está disponible para consulta. "
        f"También se leerá un resumen en {words.radio}.",
    )  # fmt: skip
    approve(invite, release)
    status(accountability, ActionStatus.READY)
    publish_on_web(invite)
    publish_on_web(release)
    accountability.refresh_from_db()
    status(
        accountability, ActionStatus.CLOSED,
        results="Asistieron 240 personas; se respondieron 35 preguntas y quedaron 6 compromisos con fecha.",
    )  # fmt: skip

    # 6. Institutional, discarded with its reason.
    contest = services.action_save(
        actor=editor,
        data={"title": f"Concurso de fotografía de {words.fair}", "origin": Origin.INSTITUTIONAL,
              "message": "Invitar a jóvenes a retratar el municipio.", "audience": "Jóvenes de 14 a 28 años",
              "planned_date": today + timedelta(days=20)},
    )  # fmt: skip
    status(
        contest, ActionStatus.DISCARDED,
        reason=f"Se aplazaron {words.fair}; el concurso se retomará con la nueva fecha.",
    )  # fmt: skip


def _fail_on(channel: Channel, editor: User | None, item: Piece) -> None:
    """Send a piece to the unreachable webhook until it fails for good (connection refused
    comes back at once). A slow attempt stops the loop and leaves the retry scheduled."""
    publication = services.publication_request(actor=editor, piece=item, channel=channel)
    for _attempt in range(max_attempts()):
        started = time.monotonic()
        result = services.publication_attempt(publication_id=publication.pk)
        if result.status not in (PublicationStatus.PENDING, PublicationStatus.RETRYING):
            break
        if time.monotonic() - started > SLOW_ATTEMPT_SECONDS:
            break
