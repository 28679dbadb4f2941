from rest_framework.routers import SimpleRouter

from wenming.evidence.api.views import ArchiveJobViewSet, EvidenceViewSet, GapViewSet

router = SimpleRouter()
router.register("evidence", EvidenceViewSet, basename="evidence")
router.register("evidence-gaps", GapViewSet, basename="evidence-gap")
router.register("evidence-archives", ArchiveJobViewSet, basename="evidence-archive")

urlpatterns = router.urls
