"""The access policy of reports: the 创建办 edits templates and generates reports; leaders read and download.
Everyone else of the unit gets no report content (403 from the role check); other units see nothing (404)."""

from wenming.core.recycle import RecyclableQuerySet
from wenming.org.policy import Grant, Policy, RestrictedQuerySet
from wenming.org.roles import Role

READERS = (Role.OFFICE, Role.LEADER)
WRITERS = (Role.OFFICE,)


class ReportTemplateQuerySet(RecyclableQuerySet, RestrictedQuerySet):
    """Templates in the recycle bin are left out everywhere."""

    policy = Policy(unit="unit_id", recyclable=True, actions={"view": Grant(READERS), "change": Grant(WRITERS)})


class ReportJobQuerySet(RestrictedQuerySet):
    policy = Policy(unit="campaign__unit_id", actions={"view": Grant(READERS), "change": Grant(WRITERS)})
