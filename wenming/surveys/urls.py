from django.urls import path

from wenming.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_create, name="create"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/settings/", views.survey_settings, name="settings"),
    path("<int:pk>/questions/new/", views.question_edit, name="question_add"),
    path("<int:pk>/questions/<slug:key>/", views.question_edit, name="question_edit"),
    path("<int:pk>/questions/<slug:key>/remove/", views.question_remove, name="question_remove"),
    path("<int:pk>/questions/<slug:key>/move/", views.question_move, name="question_move"),
    path("<int:pk>/points/", views.point_add, name="point_add"),
    path("<int:pk>/points/<int:point_pk>/", views.point_update, name="point_update"),
    path("<int:pk>/points/<int:point_pk>/poster.docx", views.point_poster, name="poster"),
    path("<int:pk>/points/<int:point_pk>/poster.pdf", views.point_poster, {"kind": "pdf"}, name="poster_pdf"),
    path("<int:pk>/open/", views.survey_status, {"action": "open"}, name="open"),
    path("<int:pk>/close/", views.survey_status, {"action": "close"}, name="close"),
    path("<int:pk>/results/", views.survey_results, name="results"),
    path("<int:pk>/answers/", views.response_list, name="responses"),
    path("<int:pk>/answers/<int:response_pk>/exclude/", views.response_exclude, name="response_exclude"),
    path("<int:pk>/report.docx", views.report_docx, name="report"),
    path("<int:pk>/answers.xlsx", views.answers_xlsx, name="answers_xlsx"),
    path("<int:pk>/accept-score/", views.accept_score, name="accept_score"),
    path("<int:pk>/evidence/", views.file_evidence, name="evidence"),
    path("<int:pk>/answer/", views.staff_answer, name="answer"),
    path("a/<str:token>/", views.public_answer, name="public"),
]
