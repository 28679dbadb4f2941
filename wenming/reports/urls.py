from django.urls import path

from wenming.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("campaigns/<int:pk>/", views.report_list, name="list"),
    path("jobs/<int:pk>/", views.job_status, name="job"),
    path("jobs/<int:pk>/download/", views.job_download, name="download"),
    path("templates/", views.template_list, name="templates"),
    path("templates/new/", views.template_create, name="template_create"),
    path("templates/<int:pk>/edit/", views.template_edit, name="template_edit"),
    path("templates/<int:pk>/delete/", views.template_delete, name="template_delete"),
]
