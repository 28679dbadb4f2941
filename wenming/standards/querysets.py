"""The access policy of standards.

A standard belongs to a unit. People of the unit holding a campaign role read it (the 文明办's evaluators read
their own office's standards); the unit's 创建办 changes it. The 三员 without a campaign role see nothing.
"""

from wenming.org.policy import CAMPAIGN_ROLES, Grant, Policy, RestrictedQuerySet, own_unexpired_upload
from wenming.org.roles import Role

READER_ROLES = (*CAMPAIGN_ROLES, Role.EVALUATOR)
EDITOR_ROLES = (Role.OFFICE,)


class StandardQuerySet(RestrictedQuerySet):
    policy = Policy(unit="unit_id", actions={"view": Grant(READER_ROLES), "change": Grant(EDITOR_ROLES)})


class CriterionQuerySet(RestrictedQuerySet):
    policy = Policy(unit="standard__unit_id", actions={"view": Grant(READER_ROLES), "change": Grant(EDITOR_ROLES)})


class ImportDraftQuerySet(RestrictedQuerySet):
    policy = Policy(unit="unit_id", actions={"view": own_unexpired_upload(EDITOR_ROLES),
                                             "change": own_unexpired_upload(EDITOR_ROLES)})


class ImportTemplateQuerySet(RestrictedQuerySet):
    """The unit's saved column mappings, used and kept by its 创建办."""

    policy = Policy(unit="unit_id", actions={"view": Grant(EDITOR_ROLES), "change": Grant(EDITOR_ROLES)})
