from rest_framework.routers import SimpleRouter

from wenming.publicity.api.views import PracticeViewSet, PublicityItemViewSet, SuperiorReportViewSet

router = SimpleRouter()
router.register("publicity/items", PublicityItemViewSet, basename="publicity-item")
router.register("publicity/superior-reports", SuperiorReportViewSet, basename="publicity-report")
router.register("publicity/practices", PracticeViewSet, basename="publicity-practice")

urlpatterns = router.urls
