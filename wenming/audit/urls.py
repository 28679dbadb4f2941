from django.urls import path

from wenming.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="events"),
    path("export.xlsx", views.event_export, name="export"),
    path("chain/", views.chain_state, name="chain"),
]
