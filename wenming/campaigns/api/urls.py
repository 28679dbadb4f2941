from rest_framework.routers import SimpleRouter

from wenming.campaigns.api.views import CampaignViewSet, PhaseViewSet, RosterViewSet, TaskViewSet

router = SimpleRouter()
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("phases", PhaseViewSet, basename="phase")
router.register("roster", RosterViewSet, basename="roster-entry")
router.register("tasks", TaskViewSet, basename="task")

urlpatterns = router.urls
