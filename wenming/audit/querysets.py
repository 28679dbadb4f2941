from wenming.org.policy import Grant, Policy, RestrictedQuerySet
from wenming.org.roles import Role


class AuditEventQuerySet(RestrictedQuerySet):
    """Only the unit's audit administrator (审计管理员) reads the trail; nobody changes it."""

    policy = Policy(unit="unit_id", actions={"view": Grant((Role.AUDITOR,))})

    def update(self, **kwargs):
        from wenming.audit.models import AppendOnlyError

        raise AppendOnlyError("审计日志只能追加，不能修改。")

    def bulk_update(self, objs, fields, batch_size=None):
        from wenming.audit.models import AppendOnlyError

        raise AppendOnlyError("审计日志只能追加，不能修改。")

    def delete(self):
        from wenming.audit.models import AppendOnlyError

        raise AppendOnlyError("审计日志只能追加，不能删除。")
