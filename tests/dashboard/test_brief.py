"""The mayor's weekly brief: its figures come from the lists' selectors, the page prints and
the PDF renders (turned into an image and checked not blank), the email goes out once per
week on the cycle's day 3 from 07:00 local time with the PDF attached, and a member of
another municipality gets a 404."""

from __future__ import annotations

import io
import subprocess
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import time_machine
from django.core import mail
from PIL import Image

from tenants.accounts.models import User
from tenants.agenda import selectors as agenda
from tenants.agenda import selectors_activities as agenda_reads
from tenants.communications import selectors as communications
from tenants.dashboard.brief import weekly_brief
from tenants.dashboard.brief_pdf import brief_pdf
from tenants.dashboard.models import BriefDelivery
from tenants.dashboard.tasks_brief import schedule_briefs, send_brief
from tenants.db import local_today, use_municipality, use_public_schema
from tenants.initiatives import selectors as initiatives
from tenants.initiatives.rules import Light
from tenants.initiatives.services.reports import cycle_settings_save
from tenants.models import Membership
from tenants.roles import MunicipalRole
from tests.conftest import World, client_for
from tests.dashboard.conftest import fill

# 2031-01-08 is a Wednesday: day 3 of a cycle that opens on Monday (the default).
WEDNESDAY = datetime(2031, 1, 8)


def utc_for_bogota(day: datetime, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Alfa (America/Bogota, UTC-5, no daylight saving) as UTC."""
    return day.replace(hour=hour, minute=minute, tzinfo=UTC) + timedelta(hours=5)


def pages_of(pdf: bytes) -> list[Image.Image]:
    """The PDF as images, one per page (poppler's pdftoppm, as a reader would see it)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "brief.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(source), str(Path(folder) / "page")], check=True)
        found = sorted(Path(folder).glob("page*.png"))
        return [Image.open(io.BytesIO(p.read_bytes())).convert("L") for p in found]


def ink(image: Image.Image) -> float:
    """The share of the page that is not white."""
    histogram = image.histogram()
    return 1 - sum(histogram[230:]) / (image.width * image.height)


def test_the_brief_uses_the_lists_figures(w: World) -> None:
    use_municipality(w.alfa)
    made = fill(w, 0, 2)
    today = local_today()
    brief = weekly_brief(user=None, today=today)
    states = initiatives.portfolio(today=today)
    assert brief.decisions.count == len(initiatives.level_queue(3)) == 2
    assert [a.pk for a, _s in brief.decisions.rows] == [a.pk for a, _s in initiatives.level_queue(3)]
    assert brief.late_initiatives.count == sum(1 for s in states if s.light == Light.LATE)
    assert brief.light_counts[Light.LATE] == brief.late_initiatives.count
    assert brief.overdue_tasks.count == agenda.tasks(overdue=True, today=today).count() == 2
    until = today + timedelta(days=6)
    assert (
        brief.communications.count
        == communications.actions(estado="abiertas", desde=today, hasta=until).count()
        == len(made.actions)
    )
    visible = agenda_reads.filtered_activities(None, desde=today, hasta=until)
    assert brief.agenda.count == visible.count() == len(made.activities)
    assert made.private_today in brief.agenda.rows
    # Someone who may not see private activities does not get them in the brief.
    editor = weekly_brief(user=w.editor_alfa, today=today)
    assert made.private_today not in editor.agenda.rows
    assert editor.agenda.count == brief.agenda.count - 2


def test_the_page_prints_and_the_pdf_renders_on_one_page(w: World) -> None:
    use_municipality(w.alfa)
    made = fill(w, 0, 2)
    use_public_schema()
    client = client_for(w.mayor_alfa, w.alfa)
    page = client.get("/tablero/resumen/")
    assert page.status_code == 200
    html = page.content.decode()
    for heading in ("Lo que necesita su decisión", "Lo que está atrasado", "Qué comunicar", "Agenda de los próximos"):
        assert heading in html
    assert "Asunto de nivel 3 número 0" in html and "Asunto de nivel 1" not in html
    assert made.private_today is not None and made.private_today.title in html
    assert "css/dashboard-brief.css" in html and "/tablero/resumen.pdf" in html
    css = Path(__file__).resolve().parents[2] / "platform/static/css/dashboard-brief.css"
    assert "@media print" in css.read_text() and "@page" in css.read_text()
    # The editor's brief leaves the private activity out.
    editor_html = client_for(w.editor_alfa, w.alfa).get("/tablero/resumen/").content.decode()
    assert made.private_today.title not in editor_html

    response = client.get("/tablero/resumen.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="resumen-semanal-' in response["Content-Disposition"]
    images = pages_of(response.content)
    assert len(images) == 1, "the brief fits one page"
    assert ink(images[0]) > 0.02, "the page is not blank"


def test_an_empty_brief_still_renders(w: World) -> None:
    use_municipality(w.alfa)
    brief = weekly_brief(user=None, today=local_today())
    assert brief.decisions.count == brief.late_initiatives.count == brief.agenda.count == 0
    images = pages_of(brief_pdf(brief))
    assert len(images) == 1 and ink(images[0]) > 0.005


def test_another_municipalitys_member_gets_404(w: World) -> None:
    use_municipality(w.alfa)
    fill(w, 0, 1)
    use_public_schema()
    for url in ("/tablero/resumen/", "/tablero/resumen.pdf"):
        assert client_for(w.admin_beta, w.alfa).get(url).status_code == 404, url
        assert client_for(w.outsider, w.alfa).get(url).status_code == 404, url
        assert client_for(None, w.alfa).get(url).status_code in (302, 404), url
    beta = client_for(w.admin_beta, w.beta).get("/tablero/resumen/")
    assert beta.status_code == 200
    assert "Iniciativa del tablero" not in beta.content.decode() and "Municipio Alfa" not in beta.content.decode()


def _sent() -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if "mayor@alfa.test" in m.to]


def test_the_brief_is_emailed_once_a_week_on_day_3_from_7_local(w: World) -> None:
    use_public_schema()
    mail.outbox.clear()
    # Day 3 (Wednesday), before 07:00 in Bogotá: nothing yet.
    with time_machine.travel(utc_for_bogota(WEDNESDAY, 6, 59), tick=False):
        assert "alfa" not in schedule_briefs()
    # From 07:00: sent, with the PDF.
    with time_machine.travel(utc_for_bogota(WEDNESDAY, 7, 10), tick=False):
        assert "alfa" in schedule_briefs()
    sent = _sent()
    assert len(sent) == 1
    message = sent[0]
    assert message.to == ["mayor@alfa.test"]
    assert "Municipio Alfa" in message.subject and "resumen semanal" in message.subject
    assert "/tablero/resumen/" in message.body
    [(name, content, mimetype)] = message.attachments  # type: ignore[misc]
    assert name == "resumen-semanal-2031-01-08.pdf" and mimetype == "application/pdf"
    assert pages_of(content) and ink(pages_of(content)[0]) > 0.005
    # Later that day, and the next day: not again.
    for moment in (utc_for_bogota(WEDNESDAY, 9), utc_for_bogota(WEDNESDAY, 23, 30)):
        with time_machine.travel(moment, tick=False):
            assert "alfa" not in schedule_briefs()
    with time_machine.travel(utc_for_bogota(WEDNESDAY + timedelta(days=1), 8), tick=False):
        assert "alfa" not in schedule_briefs()
        use_municipality(w.alfa)
        assert send_brief() == 0  # even asked directly: this week's already went out
        use_public_schema()
    # Other days of the week: never.
    for offset in (-2, -1, 2, 3, 4):
        with time_machine.travel(utc_for_bogota(WEDNESDAY + timedelta(days=offset), 10), tick=False):
            assert "alfa" not in schedule_briefs()
    assert len(_sent()) == 1
    # The next week's day 3: the next brief.
    with time_machine.travel(utc_for_bogota(WEDNESDAY + timedelta(days=7), 7), tick=False):
        assert "alfa" in schedule_briefs()
    assert len(_sent()) == 2
    use_municipality(w.alfa)
    assert sorted(d.week_start.isoformat() for d in BriefDelivery.objects.all()) == ["2031-01-06", "2031-01-13"]


def test_day_3_follows_the_municipalitys_cycle_and_each_mayor_gets_it(w: World) -> None:
    use_municipality(w.alfa)
    cycle_settings_save(actor=None, cycle_day=3)  # the cycle opens on Thursday: day 3 is Saturday
    use_public_schema()
    second = User.objects.create_user(email="vice@alfa.test", password="x-y-z-w-1234", full_name="Vice Alcalde")
    Membership.objects.create(user=second, municipality=w.alfa, role=MunicipalRole.MAYOR)
    mail.outbox.clear()
    with time_machine.travel(utc_for_bogota(WEDNESDAY, 8), tick=False):
        assert "alfa" not in schedule_briefs()
    saturday = WEDNESDAY + timedelta(days=3)
    with time_machine.travel(utc_for_bogota(saturday, 7), tick=False):
        assert "alfa" in schedule_briefs()
    assert sorted(m.to[0] for m in mail.outbox if m.to[0].endswith("@alfa.test")) == [
        "mayor@alfa.test",
        "vice@alfa.test",
    ]


def test_the_schedule_runs_in_public_and_the_sending_in_a_municipality(w: World) -> None:
    import pytest

    from tenants.workspace.schema_guard import NotInTenantSchema

    use_public_schema()
    with pytest.raises(NotInTenantSchema):
        send_brief()
    use_municipality(w.alfa)
    with pytest.raises(RuntimeError):
        schedule_briefs()
