from rest_framework.routers import SimpleRouter

from wenming.funding.api.views import BudgetLineViewSet, ExpenseViewSet

router = SimpleRouter()
router.register("funding/budget-lines", BudgetLineViewSet, basename="funding-budget-line")
router.register("funding/expenses", ExpenseViewSet, basename="funding-expense")

urlpatterns = router.urls
