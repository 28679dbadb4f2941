from rest_framework.routers import SimpleRouter

from wenming.org.api.views import DepartmentViewSet, UserViewSet

router = SimpleRouter()
router.register("departments", DepartmentViewSet, basename="department")
router.register("users", UserViewSet, basename="user")

urlpatterns = router.urls
