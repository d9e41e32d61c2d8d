"""Placeholder: the audit table's append-only triggers on SQLite (filled in by the audit work)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]
    operations: list[migrations.operations.base.Operation] = []
