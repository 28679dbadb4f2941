from django.urls import path

from wenming.standards import views

app_name = "standards"

urlpatterns = [
    path("", views.standard_list, name="list"),
    path("library/", views.library_list, name="library"),
    path("library/<slug:key>/load/", views.library_load, name="library_load"),
    path("import/", views.import_upload, name="import"),
    path("import/<uuid:token>/", views.import_preview, name="import_preview"),
    path("import/<uuid:token>/confirm/", views.import_confirm, name="import_confirm"),
    path("<int:pk>/", views.standard_detail, name="detail"),
    path("<int:pk>/edit/", views.standard_edit, name="edit"),
    path("<int:pk>/publish/", views.standard_publish, name="publish"),
    path("<int:pk>/new-version/", views.standard_new_version, name="new_version"),
    path("<int:pk>/compare/", views.standard_compare, name="compare"),
    path("<int:pk>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/export.yaml", views.export_yaml, name="export_yaml"),
    path("criteria/<int:pk>/edit/", views.criterion_edit, name="criterion_edit"),
    path("criteria/<int:pk>/refine/", views.criterion_refine, name="criterion_refine"),
    path("criteria/<int:pk>/delete/", views.criterion_delete, name="criterion_delete"),
]
