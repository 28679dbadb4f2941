from django.urls import path

from wenming.org import auth_views, token_views, views

app_name = "org"

urlpatterns = [
    path("departments/", views.department_list, name="departments"),
    path("departments/new/", views.department_create, name="department_create"),
    path("departments/<int:pk>/edit/", views.department_edit, name="department_edit"),
    path("departments/<int:pk>/delete/", views.department_delete, name="department_delete"),
    path("people/", views.people_list, name="people"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/import/", views.roster_import, name="roster_import"),
    path("people/template.xlsx", views.roster_template, name="roster_template"),
    path("people/export.xlsx", views.roster_export, name="roster_export"),
    path("people/<int:pk>/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/password/", views.person_password, name="person_password"),
    path("people/<int:pk>/active/", views.person_active, name="person_active"),
    path("people/<int:pk>/roles/", views.person_roles, name="person_roles"),
    path("people/<int:pk>/otp-reset/", auth_views.person_otp_reset, name="person_otp_reset"),
    path("security/", auth_views.security_policy, name="security_policy"),
    path("tokens/", token_views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
]
