"""Django's `flush`, allowed to empty the audit log with everything else (the SQLite DELETE trigger otherwise
refuses). Emptying the whole database is an operator's act on the server; removing some audit rows stays impossible."""

from django.core.management.commands import flush

from wenming.audit.guard import purge_allowed


class Command(flush.Command):
    def handle(self, **options):
        with purge_allowed(options["database"]):
            return super().handle(**options)
