from rest_framework.routers import SimpleRouter

from wenming.reports.api.views import ReportJobViewSet, ReportTemplateViewSet

router = SimpleRouter()
router.register("report-jobs", ReportJobViewSet, basename="report-job")
router.register("report-templates", ReportTemplateViewSet, basename="report-template")

urlpatterns = router.urls
