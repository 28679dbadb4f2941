"""The audit log becomes a hash chain (wenming.audit.chain), and SQLite refuses DELETE as PostgreSQL does.

The rows already written are chained here in id order (the UPDATE trigger is lifted for that pass only), and the
chain head records the last one. SQLite rebuilds the table to add the columns, which drops its triggers: both are
(re)created at the end. Its DELETE trigger lets `flush` through (wenming.audit.guard), nothing else.
"""

import django.utils.timezone
from django.db import migrations, models

from wenming.audit.chain import FIELDS, HEAD_ID, link

SQLITE_NO_UPDATE = """
CREATE TRIGGER IF NOT EXISTS audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
"""
SQLITE_NO_DELETE = """
CREATE TRIGGER IF NOT EXISTS audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
WHEN NOT wenming_audit_purge_allowed()
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
"""


def chain_existing_rows(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    connection = schema_editor.connection
    vendor = connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_update;")
    elif vendor == "postgresql":
        schema_editor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_no_update;")
    previous, last_id, batch = "", None, []
    rows = AuditEvent.objects.using(connection.alias).order_by("id").values_list("id", *FIELDS)
    for pk, *content in rows.iterator(chunk_size=2000):
        chain_hash = link(previous, dict(zip(FIELDS, content, strict=True)))
        batch.append(AuditEvent(pk=pk, chain_prev=previous, chain_hash=chain_hash))
        previous, last_id = chain_hash, pk
        if len(batch) >= 2000:
            AuditEvent.objects.using(connection.alias).bulk_update(batch, ["chain_prev", "chain_hash"])
            batch = []
    if batch:
        AuditEvent.objects.using(connection.alias).bulk_update(batch, ["chain_prev", "chain_hash"])
    if last_id is not None:
        AuditChainHead.objects.using(connection.alias).create(pk=HEAD_ID, last_event_id=last_id, last_hash=previous)
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_NO_UPDATE)
        schema_editor.execute(SQLITE_NO_DELETE)
    elif vendor == "postgresql":
        schema_editor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_no_update;")


def unchain(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_delete;")


def restore_update_trigger(apps, schema_editor):
    """Backwards only, after SQLite has rebuilt the table without the new columns (and without its trigger)."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_NO_UPDATE)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_audit_append_only'),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_update_trigger),
        migrations.CreateModel(
            name='AuditChainHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('last_event_id', models.BigIntegerField(blank=True, null=True, verbose_name='最后一条的编号')),
                ('last_hash', models.CharField(blank=True, default='', max_length=64, verbose_name='最后一条的哈希')),
            ],
            options={
                'verbose_name': '审计日志链头',
                'verbose_name_plural': '审计日志链头',
            },
        ),
        migrations.AddField(
            model_name='auditevent',
            name='chain_hash',
            field=models.CharField(blank=True, db_default='', editable=False, max_length=64, verbose_name='链接哈希'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='chain_prev',
            field=models.CharField(blank=True, db_default='', editable=False, max_length=64, verbose_name='前一条的哈希'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='created_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False, verbose_name='时间'),
        ),
        migrations.RunPython(chain_existing_rows, unchain),
    ]
