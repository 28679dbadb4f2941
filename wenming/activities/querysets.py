"""The access policy of activities (DESIGN.md §5), in `wenming.org.policy` terms.

Activities are the unit's shared events: every campaign member of the unit (创建办, leaders, liaisons, staff)
sees them and may sign in to them. The 创建办 changes all of them; a liaison changes their department's; the
organiser and whoever registered an activity change it too. Volunteer hours are seen whole by the 创建办,
leaders and liaisons, and by staff for themselves; the 创建办 imports them. Evaluators, the 三员 and other
units see nothing. Binned activities (回收站) are left out everywhere.
"""

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
    if_role,
    own_department,
    own_unexpired_upload,
)
from wenming.org.roles import Role

OFFICE = (Role.OFFICE,)


class ActivityKindQuerySet(RestrictedQuerySet):
    policy = Policy(unit="unit_id", actions={"view": Grant(CAMPAIGN_ROLES), "change": Grant(OFFICE)})


class ActivityQuerySet(RecyclableQuerySet, RestrictedQuerySet):
    """view · change (the activity, its documents and its attendance)."""

    policy = Policy(unit="campaign__unit_id", recyclable=True, actions={
        "view": Grant(CAMPAIGN_ROLES),
        "change": Grant(CAMPAIGN_ROLES, wide=OFFICE, narrow=either(
            by_person("organiser_id", "created_by_id"), if_role((Role.LIAISON,), own_department("department_id")))),
    })


class AttendanceQuerySet(RestrictedQuerySet):
    policy = Policy(unit="activity__campaign__unit_id", actions={"view": Via("activity", "view")})


class VolunteerRecordQuerySet(RestrictedQuerySet):
    policy = Policy(unit="campaign__unit_id", actions={
        "view": Grant(CAMPAIGN_ROLES, wide=WIDE_ROLES, narrow=by_person("person_id")),
        "change": Grant(OFFICE),
    })


class VolunteerDraftQuerySet(RestrictedQuerySet):
    policy = Policy(unit="campaign__unit_id", actions={"view": own_unexpired_upload(OFFICE)})
