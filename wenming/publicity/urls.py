from django.urls import path

from wenming.publicity import views

app_name = "publicity"

urlpatterns = [
    path("", views.index, name="index"),
    path("campaigns/<int:pk>/", views.ledger, name="ledger"),
    path("campaigns/<int:pk>/new/", views.item_create, name="item_create"),
    path("campaigns/<int:pk>/export/", views.ledger_export, name="ledger_export"),
    path("campaigns/<int:pk>/targets/", views.targets, name="targets"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("targets/<int:pk>/delete/", views.target_delete, name="target_delete"),
    path("reports/", views.reports_index, name="reports_index"),
    path("reports/campaigns/<int:pk>/", views.reports, name="reports"),
    path("reports/campaigns/<int:pk>/new/", views.report_create, name="report_create"),
    path("reports/campaigns/<int:pk>/export/", views.reports_export, name="reports_export"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/delete/", views.report_delete, name="report_delete"),
    path("reports/<int:pk>/file/", views.report_file, name="report_file"),
    path("practices/", views.practices, name="practices"),
    path("practices/new/", views.practice_create, name="practice_create"),
    path("practices/<int:pk>/edit/", views.practice_edit, name="practice_edit"),
    path("practices/<int:pk>/delete/", views.practice_delete, name="practice_delete"),
    path("practices/<int:pk>/file/", views.practice_file, name="practice_file"),
]
