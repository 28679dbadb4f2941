from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from wenming.core.security import csp_relaxed
from wenming.org import auth_views as otp_views
from wenming.site import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("health.json", core_views.health_json, name="health_json"),
    path("health/banner/", core_views.worker_banner, name="worker_banner"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", core_views.password_change, name="password_change"),
    path("accounts/otp/", otp_views.otp_verify, name="otp_verify"),
    path("accounts/otp/setup/", otp_views.otp_setup, name="otp_setup"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("recycle/", core_views.recycle_bin, name="recycle_bin"),
    path("recycle/<str:key>/<int:pk>/restore/", core_views.recycle_restore, name="recycle_restore"),
    path("recycle/<str:key>/<int:pk>/purge/", core_views.recycle_purge, name="recycle_purge"),
    path("org/", include("wenming.org.urls")),
    path("audit/", include("wenming.audit.urls")),
    path("standards/", include("wenming.standards.urls")),
    path("campaigns/", include("wenming.campaigns.urls")),
    path("evidence/", include("wenming.evidence.urls")),
    path("assessments/", include("wenming.assessments.urls")),
    path("activities/", include("wenming.activities.urls")),
    path("funding/", include("wenming.funding.urls")),
    path("publicity/", include("wenming.publicity.urls")),
    path("supervision/", include("wenming.supervision.urls")),
    path("notifications/", include("wenming.notifications.urls")),
    path("reports/", include("wenming.reports.urls")),
    path("surveys/", include("wenming.surveys.urls")),
    path("help/", include("wenming.help.urls")),
    path("api/v1/", include("wenming.org.api.urls")),
    path("api/v1/", include("wenming.standards.api.urls")),
    path("api/v1/", include("wenming.campaigns.api.urls")),
    path("api/v1/", include("wenming.evidence.api.urls")),
    path("api/v1/", include("wenming.assessments.api.urls")),
    path("api/v1/", include("wenming.activities.api.urls")),
    path("api/v1/", include("wenming.funding.api.urls")),
    path("api/v1/", include("wenming.publicity.api.urls")),
    path("api/v1/", include("wenming.supervision.api.urls")),
    path("api/v1/", include("wenming.notifications.api.urls")),
    path("api/v1/", include("wenming.reports.api.urls")),
    path("api/v1/", include("wenming.surveys.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "api/docs/",
        csp_relaxed(style_src="'self' 'unsafe-inline'")(SpectacularSwaggerSplitView.as_view(url_name="api_schema")),
        name="api_docs",
    ),
]
