from django.urls import path

from wenming.evidence import views

app_name = "evidence"

urlpatterns = [
    path("", views.index, name="index"),
    path("gaps/", views.gaps_index, name="gaps_index"),
    path("campaigns/<int:pk>/", views.evidence_list, name="list"),
    path("campaigns/<int:pk>/new/", views.evidence_create, name="create"),
    path("gaps/<int:pk>/", views.gaps, name="gaps"),
    path("archive/", views.archive_index, name="archive_index"),
    path("campaigns/<int:pk>/archive/", views.archive, name="archive"),
    path("archives/<int:pk>/", views.archive_status, name="archive_status"),
    path("archives/<int:pk>/download/", views.archive_download, name="archive_download"),
    path("<int:pk>/", views.evidence_detail, name="detail"),
    path("<int:pk>/edit/", views.evidence_edit, name="edit"),
    path("<int:pk>/review/", views.evidence_review, name="review"),
    path("<int:pk>/delete/", views.evidence_delete, name="delete"),
    path("files/<int:pk>/", views.file_download, name="file"),
    path("files/<int:pk>/thumbnail/", views.file_thumbnail, name="thumbnail"),
]
