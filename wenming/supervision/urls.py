from django.urls import path

from wenming.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("orders/", views.order_list, name="orders"),
    path("orders/export/", views.order_export, name="orders_export"),
    path("orders/new/", views.order_create, name="order_create"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
    path("orders/<int:pk>/answer/", views.order_answer, name="order_answer"),
    path("orders/<int:pk>/decide/", views.order_decide, name="order_decide"),
    path("orders/<int:pk>/docx/", views.order_docx, name="order_docx"),
    path("ranking/", views.ranking, name="ranking"),
    path("ranking/export/", views.ranking_export, name="ranking_export"),
    path("settings/", views.settings_edit, name="settings"),
]
