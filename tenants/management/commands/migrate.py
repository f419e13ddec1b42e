from tenants.management.commands.migrate_schemas import Command as MigrateSchemasCommand


class Command(MigrateSchemasCommand):
    """`migrate` migrates the public schema, the template and every municipality."""
