from rest_framework.routers import SimpleRouter

from wenming.activities.api.views import ActivityViewSet, AttendanceViewSet, VolunteerRecordViewSet

router = SimpleRouter()
router.register("activities", ActivityViewSet, basename="activity")
router.register("activity-attendance", AttendanceViewSet, basename="activity-attendance")
router.register("volunteer-hours", VolunteerRecordViewSet, basename="volunteer-hours")

urlpatterns = router.urls
