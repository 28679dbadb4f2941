from django.urls import path

from wenming.activities import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("calendar/", views.activity_calendar, name="calendar"),
    path("new/", views.activity_create, name="create"),
    path("kinds/", views.kinds, name="kinds"),
    path("kinds/<int:pk>/", views.kind_edit, name="kind_edit"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/delete/", views.activity_delete, name="delete"),
    path("<int:pk>/documents/", views.document_add, name="document_add"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/attendance/list/", views.attendance_list, name="attendance_list"),
    path("<int:pk>/attendance/mark/", views.attendance_mark, name="attendance_mark"),
    path("<int:pk>/attendance/code/", views.attendance_code, name="attendance_code"),
    path("<int:pk>/attendance.xlsx", views.attendance_xlsx, name="attendance_xlsx"),
    path("<int:pk>/attendance.docx", views.attendance_docx, name="attendance_docx"),
    path("sign/<str:token>/", views.sign_in, name="sign_in"),
    path("volunteers/", views.volunteer_summary, name="volunteers"),
    path("volunteers/export/", views.volunteer_export, name="volunteer_export"),
    path("volunteers/import/", views.volunteer_upload, name="volunteer_import"),
    path("volunteers/import/<uuid:token>/", views.volunteer_preview, name="volunteer_preview"),
]
