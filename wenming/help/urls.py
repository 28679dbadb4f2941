from django.urls import path

from wenming.help import views

app_name = "help"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("print/", views.print_view, name="print"),
    path("<slug:slug>/", views.section, name="section"),
]
