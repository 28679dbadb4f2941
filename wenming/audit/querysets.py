from django.db import models

from wenming.org.roles import Role


class AuditEventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only the unit's audit administrator (审计管理员) reads the trail."""
        if not user.is_authenticated or not user.unit_id or not user.has_role(Role.AUDITOR):
            return self.none()
        return self.filter(unit_id=user.unit_id)

    def update(self, **kwargs):
        from wenming.audit.models import AppendOnlyError

        raise AppendOnlyError("审计日志只能追加，不能修改。")

    def bulk_update(self, objs, fields, batch_size=None):
        from wenming.audit.models import AppendOnlyError

        raise AppendOnlyError("审计日志只能追加，不能修改。")

    def delete(self):
        from wenming.audit.models import AppendOnlyError

        raise AppendOnlyError("审计日志只能追加，不能删除。")
