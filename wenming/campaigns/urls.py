from django.urls import path

from wenming.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("choose/", views.campaign_choose, name="choose"),
    path("my/", views.my_work, name="my_work"),
    path("tasks/", views.current_tasks, name="current_tasks"),
    path("<int:pk>/", views.campaign_home, name="home"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/document/", views.campaign_document, name="document"),
    path("<int:pk>/phases/new/", views.phase_create, name="phase_create"),
    path("phases/<int:pk>/edit/", views.phase_edit, name="phase_edit"),
    path("phases/<int:pk>/delete/", views.phase_delete, name="phase_delete"),
    path("<int:pk>/milestones/new/", views.milestone_create, name="milestone_create"),
    path("milestones/<int:pk>/done/", views.milestone_done, name="milestone_done"),
    path("milestones/<int:pk>/delete/", views.milestone_delete, name="milestone_delete"),
    path("<int:pk>/roster/", views.roster, name="roster"),
    path("<int:pk>/roster/print/", views.roster_print, name="roster_print"),
    path("roster/<int:pk>/remove/", views.roster_remove, name="roster_remove"),
    path("<int:pk>/tasks/", views.task_list, name="tasks"),
    path("<int:pk>/tasks/new/", views.task_create, name="task_create"),
    path("<int:pk>/tasks/bulk/", views.task_bulk, name="task_bulk"),
    path("<int:pk>/tasks/generate/", views.tasks_generate, name="tasks_generate"),
    path("<int:pk>/board/", views.board, name="board"),
    path("<int:pk>/gantt/", views.gantt, name="gantt"),
    path("<int:pk>/import/", views.import_upload, name="import"),
    path("import/<uuid:token>/", views.import_preview, name="import_preview"),
    path("import/<uuid:token>/confirm/", views.import_confirm, name="import_confirm"),
    path("<int:pk>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/export.docx", views.export_docx, name="export_docx"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/delete/", views.task_delete, name="task_delete"),
    path("tasks/<int:pk>/status/", views.task_transition, name="task_transition"),
    path("tasks/<int:pk>/progress/", views.task_progress, name="task_progress"),
    path("tasks/<int:pk>/comments/", views.task_comment, name="task_comment"),
    path("rounds/<int:pk>/done/", views.occurrence_done, name="occurrence_done"),
]
