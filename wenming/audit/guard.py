"""The database itself refuses to change or remove audit rows (triggers, see migrations 0002 and 0003).

On SQLite the DELETE trigger asks the connection's function `wenming_audit_purge_allowed()`, false except inside
`purge_allowed()`, which only `flush` uses: emptying the whole database (tests between cases, an operator on the
server), never removing some rows. A connection that lacks the function (the sqlite3 shell) cannot delete either.
On PostgreSQL a DELETE is refused outright; `flush` there empties tables with TRUNCATE, which row triggers ignore.
"""

from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

FUNCTION = "wenming_audit_purge_allowed"


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """connection_created receiver: give every new SQLite connection the function its DELETE trigger asks."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            FUNCTION, 0, lambda: int(getattr(connection, "audit_purge_allowed", False)))


@contextmanager
def purge_allowed(using: str = DEFAULT_DB_ALIAS):
    connection = connections[using]
    connection.audit_purge_allowed = True
    try:
        yield
    finally:
        connection.audit_purge_allowed = False
