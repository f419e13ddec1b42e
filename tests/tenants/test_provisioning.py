from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tenants import schemas, services
from tenants.accounts.models import User
from tenants.models import Domain, Invitation, Membership, Municipality, PlatformAuditEvent
from tenants.roles import MunicipalRole
from tests.conftest import World, client_for

VALID = dict(
    name="San Pedro", slug="san-pedro", country="HN", time_zone="America/Tegucigalpa", admin_email="jefa@sanpedro.test"
)


def schema_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        return {row[0] for row in cursor.fetchall()}


def test_create_builds_schema_domain_admin_and_audit(w: World) -> None:
    result = services.municipality_create(actor=w.platform_admin, **VALID, population=1200, region="Cortés")
    m = result.municipality
    assert m.schema_name == "m_san_pedro"
    assert "m_san_pedro" in schema_names()
    assert Domain.objects.get(tenant=m).domain == "san-pedro.localhost"
    assert result.admin_created and result.admin.email == "jefa@sanpedro.test"
    assert list(Membership.objects.filter(municipality=m).values_list("role", flat=True)) == [
        MunicipalRole.SYSTEM_COUNTERPART
    ]
    # No password given: the administrator is invited to choose one.
    assert result.invitation and result.invitation.email == "jefa@sanpedro.test"
    assert Invitation.objects.filter(municipality=m, email="jefa@sanpedro.test").count() == 1
    assert not result.admin.has_usable_password()
    assert PlatformAuditEvent.objects.filter(action="municipality.create", municipality_slug="san-pedro").exists()


def test_existing_user_becomes_admin_without_new_account(w: World) -> None:
    result = services.municipality_create(actor=None, **{**VALID, "admin_email": "MAYOR@alfa.test"})
    assert not result.admin_created
    assert result.admin == w.mayor_alfa
    assert result.invitation is None


def _catalogue(schema: str) -> dict[str, set[tuple[str, ...]]]:
    """Columns, constraints and indexes of a schema, with the schema name taken out."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull::text,
                      a.attidentity::text, coalesce(pg_get_expr(d.adbin, d.adrelid), '')
                 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                 JOIN pg_namespace n ON n.oid = c.relnamespace
                 LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE n.nspname = %s AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped""",
            [schema],
        )
        columns = {tuple(r) for r in cursor.fetchall()}
        cursor.execute(
            """SELECT c.relname, con.conname, con.contype::text, pg_get_constraintdef(con.oid)
                 FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
                 JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s""",
            [schema],
        )
        constraints = {
            tuple(str(x).replace(f'"{schema}".', "S.").replace(f"{schema}.", "S.") for x in r)
            for r in cursor.fetchall()
        }
        cursor.execute(
            """SELECT ic.relname, replace(pg_get_indexdef(i.indexrelid), %s, 'S.')
                 FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                 JOIN pg_namespace n ON n.oid = ic.relnamespace WHERE n.nspname = %s""",
            [f"{schema}.", schema],
        )
        indexes = {tuple(r) for r in cursor.fetchall()}
    return {"columns": columns, "constraints": constraints, "indexes": indexes}


def test_clone_is_identical_to_the_migrated_template(w: World) -> None:
    template = _catalogue(schemas.template_schema())
    clone = _catalogue(w.alfa.schema_name)
    assert template["columns"] and template["indexes"]
    assert clone == template
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name FROM {schemas.template_schema()}.django_migrations ORDER BY id")
        template_migrations = cursor.fetchall()
        cursor.execute(f"SELECT name FROM {w.alfa.schema_name}.django_migrations ORDER BY id")
        assert cursor.fetchall() == template_migrations


def test_template_has_no_pending_migration(w: World) -> None:
    connection.set_schema(schemas.template_schema())
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    assert plan == []


def test_cloned_schema_is_usable(w: World) -> None:
    from tenants.workspace.models import AuditEvent

    result = services.municipality_create(actor=None, **VALID, admin_password="x" * 12)
    connection.set_tenant(result.municipality)
    event = AuditEvent.objects.create(action="probe")
    assert event.pk and AuditEvent.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"slug": "alfa"}, "slug"),  # duplicate
        ({"slug": "San Pedro"}, "slug"),
        ({"slug": "1pueblo"}, "slug"),
        ({"slug": "a"}, "slug"),
        ({"slug": "x" * 41}, "slug"),
        ({"slug": "doble--guion"}, "slug"),
        ({"slug": "www"}, "slug"),
        ({"slug": "public"}, "slug"),
        ({"slug": "admin"}, "slug"),
        ({"slug": "pg-catalog"}, "slug"),
        ({"slug": "x; drop schema public cascade"}, "slug"),
        ({"slug": 'a"b'}, "slug"),
        ({"slug": "ñandú"}, "slug"),
        ({"name": "  "}, "name"),
        ({"country": "US"}, "country"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"admin_email": "not-an-email"}, "admin_email"),
    ],
)
def test_bad_input_names_the_field_and_creates_nothing(w: World, changes: dict[str, str], field: str) -> None:
    before_schemas, before_rows = schema_names(), Municipality.objects.count()
    with pytest.raises(ValidationError) as info:
        services.municipality_create(actor=None, **{**VALID, **changes})
    assert field in info.value.message_dict
    assert info.value.message_dict[field][0]  # a message a person can read
    assert schema_names() == before_schemas
    assert Municipality.objects.count() == before_rows


def test_non_admin_cannot_provision(w: World) -> None:
    with pytest.raises(PermissionDenied):
        services.municipality_create(actor=w.admin_alfa, **VALID)
    assert not Municipality.objects.filter(slug="san-pedro").exists()


def test_leftover_schema_is_reported_not_reused(w: World) -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA m_san_pedro")
    with pytest.raises(ValidationError) as info:
        services.municipality_create(actor=None, **VALID)
    assert "slug" in info.value.message_dict
    assert not Municipality.objects.filter(slug="san-pedro").exists()


def test_deactivate_keeps_data_and_answers_410(w: World) -> None:
    result = services.municipality_create(actor=None, **VALID, admin_password="x" * 12)
    m = services.municipality_deactivate(actor=w.platform_admin, municipality=result.municipality)
    assert not m.is_active and m.deactivated_at
    assert m.schema_name in schema_names()
    for path in ["/", "/api/v1/workspace/", "/cuenta/entrar/"]:
        response = client_for(result.admin, m).get(path)
        assert response.status_code == 410, path
    assert "desactivado" in client_for(None, m).get("/").content.decode()
    services.municipality_reactivate(actor=w.platform_admin, municipality=m)
    assert client_for(result.admin, m).get("/").status_code == 200


def test_deactivated_municipality_leaves_the_landing_page(w: World) -> None:
    result = services.municipality_create(actor=None, **VALID, admin_password="x" * 12)
    assert "San Pedro" in client_for(None).get("/").content.decode()
    services.municipality_deactivate(actor=None, municipality=result.municipality)
    assert "San Pedro" not in client_for(None).get("/").content.decode()


def test_delete_needs_exact_confirmation_then_drops_everything(w: World) -> None:
    result = services.municipality_create(actor=None, **VALID, admin_password="x" * 12)
    m = result.municipality
    with pytest.raises(ValidationError) as info:
        services.municipality_delete(actor=w.platform_admin, municipality=m, confirm_slug="san-pedr")
    assert "confirm_slug" in info.value.message_dict
    assert m.schema_name in schema_names()
    services.municipality_delete(actor=w.platform_admin, municipality=m, confirm_slug="san-pedro")
    assert m.schema_name not in schema_names()
    assert not Municipality.objects.filter(slug="san-pedro").exists()
    assert not Domain.objects.filter(domain="san-pedro.localhost").exists()
    assert not Membership.objects.filter(municipality_id=m.pk).exists()
    assert User.objects.filter(pk=result.admin.pk).exists()  # accounts are platform-wide
    assert client_for(None, None).get("/", HTTP_HOST="san-pedro.localhost").status_code == 404


def test_management_commands(w: World, capsys: pytest.CaptureFixture[str]) -> None:
    call_command(
        "create_municipality",
        name="San Pedro",
        slug="san-pedro",
        country="HN",
        time_zone="America/Tegucigalpa",
        admin_email="jefa@sanpedro.test",
        admin_password="x" * 12,
    )
    assert "://san-pedro.localhost/" in capsys.readouterr().out
    with pytest.raises(CommandError, match="slug"):
        call_command(
            "create_municipality",
            name="Otro",
            slug="www",
            country="HN",
            time_zone="America/Tegucigalpa",
            admin_email="a@b.test",
        )
    call_command("deactivate_municipality", "san-pedro")
    assert not Municipality.objects.get(slug="san-pedro").is_active
    call_command("deactivate_municipality", "san-pedro", "--reactivate")
    assert Municipality.objects.get(slug="san-pedro").is_active
    with pytest.raises(CommandError):
        call_command("delete_municipality", "san-pedro", confirm="nope")
    call_command("delete_municipality", "san-pedro", confirm="san-pedro")
    assert "m_san_pedro" not in schema_names()
