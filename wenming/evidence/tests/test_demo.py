"""The demo's 创建材料: a realistic mix over departments and states, uploaded through the services, idempotent."""

import pytest
from django.utils import timezone

from wenming.audit.models import AuditEvent
from wenming.campaigns.models import Campaign
from wenming.evidence.models import Evidence, EvidenceFile, Review
from wenming.evidence.selectors import gap_matrix
from wenming.org.models import User

pytestmark = pytest.mark.django_db


def load_demo_up_to_evidence():
    """The demo's parts this app builds on and its own (later apps file evidence of their own, tested there)."""
    from wenming.campaigns import demo as campaigns_demo
    from wenming.evidence import demo as evidence_demo
    from wenming.org import demo as org_demo
    from wenming.standards import demo as standards_demo

    for module in (org_demo, standards_demo, campaigns_demo, evidence_demo):
        module.load()


def test_demo_evidence_covers_every_state_several_departments_and_the_right_people():
    load_demo_up_to_evidence()
    load_demo_up_to_evidence()  # idempotent
    campaign = Campaign.objects.get(title=f"{timezone.localdate().year}年创建市级文明单位")
    items = Evidence.objects.filter(campaign=campaign)
    assert 20 <= items.count() <= 40
    assert {"approved", "pending", "returned"} <= set(items.values_list("status", flat=True))
    assert all(item.return_reason for item in items.filter(status="returned"))
    assert items.filter(revision=2).exists()  # returned, then resubmitted
    assert items.values("department").distinct().count() >= 8
    assert {"liaison_a", "staff_a", "liaison_b"} <= set(items.values_list("uploader__username", flat=True))
    assert not items.filter(task__isnull=True, link="").exists()
    assert all(item.occurred_on <= timezone.localdate() for item in items)
    # Through the services: every item has its submission, its audit row, sniffed files and photo thumbnails.
    assert Review.objects.filter(evidence__in=items, action="submitted").count() == items.count()
    assert AuditEvent.objects.filter(verb="evidence.created").count() == items.count()
    photos = EvidenceFile.objects.filter(evidence__in=items, file_type="jpg")
    assert photos.count() >= 20 and not photos.filter(thumbnail="").exists()
    assert photos.filter(taken_at__isnull=False).count() == photos.count()
    assert EvidenceFile.objects.filter(evidence__in=items, file_type="pdf", page_count__gte=2).exists()
    office = User.objects.get(username="office")
    statuses = {row.status for row in gap_matrix(user=office, campaign=campaign).rows}
    assert statuses == {"missing", "pending", "returned", "approved"}
