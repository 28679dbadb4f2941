from django.urls import path

from wenming.assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.index, name="index"),
    path("campaigns/<int:pk>/", views.assessment_list, name="list"),
    path("campaigns/<int:pk>/new/", views.assessment_create, name="create"),
    path("campaigns/<int:pk>/compare/", views.compare, name="compare"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/edit/", views.assessment_edit, name="edit"),
    path("<int:pk>/status/", views.assessment_status, name="status"),
    path("<int:pk>/lines/<int:criterion_pk>/", views.line, name="line"),
    path("<int:pk>/findings/", views.findings, name="findings"),
    path("<int:pk>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/export.docx", views.export_docx, name="export_docx"),
    path("<int:pk>/files/<int:file_pk>/", views.evidence_file, name="file"),
    path("<int:pk>/files/<int:file_pk>/thumbnail/", views.evidence_thumbnail, name="thumbnail"),
    path("findings/<int:pk>/rectify/", views.finding_assign, name="assign"),
    path("rectifications/", views.ledger_index, name="ledger_index"),
    path("rectifications/campaigns/<int:pk>/", views.ledger, name="ledger"),
    path("rectifications/campaigns/<int:pk>/export.xlsx", views.ledger_export, name="ledger_export"),
    path("rectifications/<int:pk>/", views.rectification, name="rectification"),
    path("rectifications/<int:pk>/respond/", views.rectification_respond, name="respond"),
    path("rectifications/<int:pk>/verify/", views.rectification_verify, name="verify"),
    path("rectifications/<int:pk>/delete/", views.rectification_delete, name="delete"),
]
