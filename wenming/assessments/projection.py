"""预计得分: what the campaign would score if it were inspected now, and how the figure was reached.

A projection starts from the unit's latest *submitted* self-check (自查 or 模拟测评): the lines it scored keep their
scores. The lines it left unscored — or every line, before any self-check is submitted — are estimated from the state
of their evidence (查漏补缺):

- 材料已通过 (approved evidence): the line's full points;
- 材料待审核 (evidence waiting for review): half the line's points;
- 材料已退回 or 无材料 (returned, or none): 0.

Bonus lines are never estimated (a bonus is earned, not expected) and veto lines count as not triggered unless the
self-check triggered them. The inspection (检查验收) plays no part: the unit sees it only once the evaluators submit
it, and then it is the verdict, not a projection.

`project` is pure (the scoring module's dataclasses in and out); `projected_score` reads what it needs.
"""

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from wenming.assessments import scoring
from wenming.assessments.models import Assessment, Score
from wenming.assessments.querysets import SCORES_PUBLISHED
from wenming.assessments.selectors import entry_of, nodes_in_order, sheet_for
from wenming.evidence.selectors import gap_matrix

APPROVED, PENDING, RETURNED, MISSING = "approved", "pending", "returned", "missing"
# the share of a line's points an unscored line is expected to earn, by the state of its evidence
SHARES = {APPROVED: Decimal(1), PENDING: Decimal("0.5"), RETURNED: Decimal(0), MISSING: Decimal(0)}


@dataclass(frozen=True)
class Estimate:
    result: scoring.Result
    scored: int  # lines the self-check scored
    estimated: int  # lines estimated from their evidence
    by_state: Mapping[str, int] = field(default_factory=dict)  # estimated lines per evidence state


def project(sheet: scoring.Sheet, entries: Mapping[Hashable, scoring.Entry],
            evidence_states: Mapping[Hashable, str]) -> Estimate:
    """The self-check's entries, the unscored counted lines estimated from `evidence_states` (line key → approved /
    pending / returned / missing; absent = missing), computed by the scoring module's rules."""
    entered = scoring.compute(sheet, entries)
    merged = dict(entries)
    by_state: Counter = Counter()
    for line in sheet.lines:
        if line.kind not in scoring.COUNTED or entered.lines[line.key].scored:
            continue
        state = evidence_states.get(line.key, MISSING)
        share = SHARES.get(state, Decimal(0))
        maximum = entered.lines[line.key].maximum
        merged[line.key] = scoring.Entry(points=scoring.to_step(maximum * share, sheet.step))
        by_state[state] += 1
    result = scoring.compute(sheet, merged)
    estimated = sum(by_state.values())
    scored = sum(1 for line in sheet.lines if line.kind in scoring.COUNTED and entered.lines[line.key].scored)
    return Estimate(result=result, scored=scored, estimated=estimated, by_state=dict(by_state))


@dataclass(frozen=True)
class Projection:
    """What the leader's dashboard shows: the total, against the pass score, and the method in words."""

    total: Decimal
    pass_score: Decimal | None
    vetoed: bool
    source: Assessment | None  # the submitted self-check it starts from
    source_on: date | None
    scored: int
    estimated: int
    lines: int
    by_state: Mapping[str, int]

    @property
    def passes(self) -> bool:
        return not self.vetoed and self.pass_score is not None and self.total >= self.pass_score


def projected_score(*, user, campaign) -> Projection | None:
    """The projection for this person's view of the campaign (None without a standard). Reads only what the person
    may read: the unit's own submitted assessments and the evidence states of its gap view."""
    if not campaign.standard_id:
        return None
    source = (Assessment.objects.scores_visible_to(user)
              .filter(campaign=campaign, kind__in=(Assessment.Kind.SELF_CHECK, Assessment.Kind.MOCK),
                      status__in=SCORES_PUBLISHED)
              .order_by("-submitted_at", "-id").first())
    basis = source or Assessment(campaign=campaign)
    basis.campaign = campaign
    nodes = nodes_in_order(campaign.standard_id)
    sheet = sheet_for(basis, nodes)
    if not sheet.lines:
        return None
    entries = ({score.criterion_id: entry_of(score) for score in Score.objects.filter(assessment=source)}
               if source else {})
    states = {row.criterion.pk: row.status for row in gap_matrix(user=user, campaign=campaign).rows}
    estimate = project(sheet, entries, states)
    result = estimate.result
    pass_score = result.pass_score if result.pass_score is not None else campaign.pass_score
    submitted_at = source.submitted_at if source else None
    return Projection(
        total=result.total, pass_score=pass_score, vetoed=result.vetoed, source=source,
        source_on=timezone.localtime(submitted_at).date() if submitted_at else None,
        scored=estimate.scored, estimated=estimate.estimated,
        lines=sum(1 for line in sheet.lines if line.kind in scoring.COUNTED), by_state=estimate.by_state)
