from rest_framework.routers import SimpleRouter

from wenming.standards.api.views import CriterionViewSet, StandardViewSet

router = SimpleRouter()
router.register("standards", StandardViewSet, basename="standard")
router.register("criteria", CriterionViewSet, basename="criterion")

urlpatterns = router.urls
