"""The access policy of evidence (DESIGN.md §5), declared in `wenming.org.policy` terms.

Visibility follows the tasks': the 创建办 and leaders see all of their unit's campaign evidence; liaisons see the
unit's and change their own department's; staff see their department's and their own uploads and change their own
uploads (and those on tasks they own). The 创建办 reviews. Binned items (回收站) are left out everywhere.

inspect: the material open while scoring an assessment — the unit's people what they may view; a 文明办's evaluator
only approved items of a campaign whose opened inspection they are assigned to, and only their current files (a
file retired by a later version — returned and resubmitted, or replaced — is the unit's own review history).
"""

from django.db.models import Q

from wenming.core.recycle import RecyclableQuerySet
from wenming.org.policy import (
    CAMPAIGN_ROLES,
    WIDE_ROLES,
    Grant,
    Policy,
    RestrictedQuerySet,
    Via,
    by_person,
    either,
    evaluator_rule,
    if_role,
    own_department,
)
from wenming.org.roles import Role

OFFICE = (Role.OFFICE,)
SEEN_NARROW = either(by_person("uploader_id", "task__owner_id"), own_department("department_id"))


def _under_inspection(user, rows):
    """Approved items of the campaigns the evaluator may see (those of the opened inspections they are assigned to:
    the campaign's own policy decides)."""
    campaigns = rows.model._meta.get_field("campaign").related_model.objects.restrict(user, "view")
    return Q(status="approved", campaign__in=campaigns.values("pk"))


def _current_files_under_inspection(rows, user):
    evidence = rows.model._meta.get_field("evidence").related_model
    return rows.filter(retired_in__isnull=True, evidence__in=evidence.objects.restrict(user, "inspect"))


class EvidenceQuerySet(RecyclableQuerySet, RestrictedQuerySet):
    """view · change (the item, its files, resubmission) · review (approve or return: the 创建办) · inspect (open
    while scoring: what the unit's people view, approved items for the assigned evaluators)."""

    policy = Policy(unit="campaign__unit_id", recyclable=True, actions={
        "view": Grant(CAMPAIGN_ROLES, wide=WIDE_ROLES, narrow=SEEN_NARROW),
        "inspect": Grant(CAMPAIGN_ROLES, wide=WIDE_ROLES, narrow=SEEN_NARROW,
                         outside=evaluator_rule(_under_inspection)),
        "change": Grant(CAMPAIGN_ROLES, wide=OFFICE, narrow=either(
            by_person("uploader_id", "task__owner_id"), if_role((Role.LIAISON,), own_department("department_id")))),
        "review": Grant(OFFICE),
    })

    def reviewable_by(self, user):
        return self.restrict(user, "review")


class EvidenceFileQuerySet(RestrictedQuerySet):
    policy = Policy(unit="evidence__campaign__unit_id", actions={
        "view": Via("evidence", "view"),
        "change": Via("evidence", "change"),
        "inspect": _current_files_under_inspection,
    })


class ArchiveJobQuerySet(RestrictedQuerySet):
    """The compiled archive: the 创建办 builds it; leaders read and download it."""

    policy = Policy(unit="campaign__unit_id", actions={
        "view": Grant((Role.OFFICE, Role.LEADER)),
        "change": Grant(OFFICE),
    })
