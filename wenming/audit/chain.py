"""The audit trail as a hash chain: each row carries the hash of its own content and of the row before it.

    chain_hash = SHA-256(chain_prev + "\\n" + canonical content of the row)

where `chain_prev` is the previous row's `chain_hash` ("" for the first row). A row altered in the database no
longer matches its hash; a row removed breaks the next row's link; rows removed from the end no longer reach the
chain head (`AuditChainHead`: the last row's id and hash, kept in the same transaction). `verify` walks the chain
in id order and names the first row where it breaks (`wenming audit_verify`, and the auditor's screen).

Appending takes the chain head's row lock (SELECT … FOR UPDATE on PostgreSQL; SQLite runs one writer at a time),
so concurrent writers chain one after the other and ids grow along the chain. The lock is held until the
writing transaction ends: audited writes run one at a time, which their short transactions allow.

The content is canonicalised as it reads back from either database: the time in UTC to the microsecond, JSON
with sorted keys, and numbers the way PostgreSQL's jsonb returns them (an integral float and an int agree).
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils.translation import gettext as _

HEAD_ID = 1
FIELDS = ("created_at", "actor_id", "actor_name", "unit_id", "verb", "object_type", "object_id", "object_repr",
          "before", "after", "ip", "request_id")
EXACT_FLOAT = 2**53


def _number(value):
    """An int or a float as text on which both databases agree (jsonb gives 1e20 back as an int)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < EXACT_FLOAT:
        value = int(value)
    if isinstance(value, int) and abs(value) >= EXACT_FLOAT:
        return repr(float(value))
    return repr(value)


def _json(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        items = sorted((str(key), item) for key, item in value.items())
        return "{" + ",".join(f"{json.dumps(key, ensure_ascii=False)}:{_json(item)}" for key, item in items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_json(item) for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def canonical(values: dict) -> str:
    """One row's content as text, the same whichever database it was read back from."""
    created_at = values["created_at"].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    parts = [created_at] + [_json(values[name]) for name in FIELDS[1:]]
    return "\n".join(parts)


def link(previous: str, values: dict) -> str:
    return hashlib.sha256(f"{previous}\n{canonical(values)}".encode()).hexdigest()


def event_values(event) -> dict:
    """The row's content as it will be stored (the IP normalised as the database keeps it)."""
    values = {name: getattr(event, name) for name in FIELDS}
    values["ip"] = event._meta.get_field("ip").get_prep_value(values["ip"])
    # A JSON value goes through JSON on the way in, as on the way back (tuples become lists, keys strings).
    for name in ("before", "after"):
        if values[name] is not None:
            values[name] = json.loads(json.dumps(values[name], default=str))
    return values


def append(event) -> None:
    """Insert `event` chained to the last row, under the chain head's lock (call inside the writing transaction)."""
    from wenming.audit.models import AuditChainHead

    with transaction.atomic(savepoint=False):
        head = AuditChainHead.objects.select_for_update().filter(pk=HEAD_ID).first()
        if head is None:  # the first row of a new installation (or after a test's flush)
            AuditChainHead.objects.bulk_create([AuditChainHead(pk=HEAD_ID)], ignore_conflicts=True)
            head = AuditChainHead.objects.select_for_update().get(pk=HEAD_ID)
        event.chain_prev = head.last_hash
        event.chain_hash = link(head.last_hash, event_values(event))
        event.save()
        AuditChainHead.objects.filter(pk=HEAD_ID).update(last_event_id=event.pk, last_hash=event.chain_hash)


@dataclass(frozen=True)
class ChainState:
    """The result of `verify`: intact, or the first row (by id) where the chain breaks and why."""

    checked: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None and not self.reason

    def __str__(self) -> str:
        if self.intact:
            return _("完整（已核验 %(count)d 条）") % {"count": self.checked}
        if self.broken_at is None:
            return _("被篡改：%(reason)s") % {"reason": self.reason}
        return _("第 %(number)d 条起被篡改：%(reason)s") % {"number": self.broken_at, "reason": self.reason}


def verify(*, using: str | None = None) -> ChainState:
    """Walk the whole chain in id order (one pass, constant memory) and report the first break."""
    from wenming.audit.models import AuditChainHead, AuditEvent

    using = using or DEFAULT_DB_ALIAS
    rows = (AuditEvent.objects.using(using).order_by("id")
            .values_list("id", "chain_prev", "chain_hash", *FIELDS).iterator(chunk_size=2000))
    previous, last_id, checked = "", None, 0
    for row in rows:
        pk, chain_prev, chain_hash, *content = row
        values = dict(zip(FIELDS, content, strict=True))
        if chain_prev != previous:
            if not chain_hash:
                return ChainState(checked, pk, _("该条记录不是由系统写入的（没有链接哈希）。"))
            return ChainState(checked, pk, _("该条之前的记录被删除或改动（与前一条的链接不符）。"))
        if chain_hash != link(chain_prev, values):
            return ChainState(checked, pk, _("该条记录的内容被改动。"))
        previous, last_id, checked = chain_hash, pk, checked + 1
    head = AuditChainHead.objects.using(using).filter(pk=HEAD_ID).first()
    head_id, head_hash = (head.last_event_id, head.last_hash) if head else (None, "")
    if (head_id, head_hash) != (last_id, previous):
        if head_id is not None and (last_id is None or head_id > last_id):
            return ChainState(checked, None, _("链尾被截断：最后写入的记录（第 %(number)d 条）已不在日志中。")
                              % {"number": head_id})
        return ChainState(checked, None, _("链头与日志不符（链头记录被改动）。"))
    return ChainState(checked)


def guards_in_place(*, using: str | None = None) -> bool:
    """Whether the database still refuses UPDATE and DELETE of audit rows (a table rebuilt by a migration on
    SQLite loses its triggers)."""
    conn = connections[using or DEFAULT_DB_ALIAS]
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_auditevent'")
            return {"audit_auditevent_no_update", "audit_auditevent_no_delete"} <= {r[0] for r in cursor.fetchall()}
        if conn.vendor == "postgresql":
            cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = 'audit_auditevent_no_update' AND tgenabled <> 'D'")
            return cursor.fetchone() is not None
    return True
