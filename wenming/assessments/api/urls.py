from rest_framework.routers import SimpleRouter

from wenming.assessments.api.views import (
    AssessmentViewSet,
    FindingViewSet,
    RectificationViewSet,
    ScoreViewSet,
)

router = SimpleRouter()
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("assessment-scores", ScoreViewSet, basename="assessment-score")
router.register("assessment-findings", FindingViewSet, basename="assessment-finding")
router.register("rectifications", RectificationViewSet, basename="rectification")

urlpatterns = router.urls
