from rest_framework.routers import SimpleRouter

from wenming.notifications.api.views import AnnouncementViewSet, NotificationViewSet

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")
router.register("announcements", AnnouncementViewSet, basename="announcement")

urlpatterns = router.urls
