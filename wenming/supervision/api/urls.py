from rest_framework.routers import SimpleRouter

from wenming.supervision.api.views import LightViewSet, RankingViewSet, SupervisionOrderViewSet

router = SimpleRouter()
router.register("supervision-lights", LightViewSet, basename="supervision-light")
router.register("supervision-orders", SupervisionOrderViewSet, basename="supervision-order")
router.register("supervision-ranking", RankingViewSet, basename="supervision-ranking")

urlpatterns = router.urls
