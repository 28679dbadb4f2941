from django.urls import path

from wenming.funding import views

app_name = "funding"

urlpatterns = [
    path("", views.index, name="index"),
    path("campaigns/<int:pk>/", views.budget, name="budget"),
    path("campaigns/<int:pk>/lines/new/", views.line_create, name="line_create"),
    path("campaigns/<int:pk>/expenses/", views.expense_list, name="expenses"),
    path("campaigns/<int:pk>/expenses/new/", views.expense_create, name="expense_create"),
    path("campaigns/<int:pk>/export/", views.export, name="export"),
    path("lines/<int:pk>/edit/", views.line_edit, name="line_edit"),
    path("lines/<int:pk>/delete/", views.line_delete, name="line_delete"),
    path("expenses/<int:pk>/edit/", views.expense_edit, name="expense_edit"),
    path("expenses/<int:pk>/delete/", views.expense_delete, name="expense_delete"),
    path("receipts/<int:pk>/", views.receipt_download, name="receipt"),
]
