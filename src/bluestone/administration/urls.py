from django.urls import path

from bluestone.administration import views

app_name = "administration"
urlpatterns = [
    path("users/", views.users, name="users"),
    path("users/new/", views.user_new, name="user-new"),
    path("users/import/", views.users_import, name="users-import"),
    path("users/<int:pk>/", views.user, name="user"),
    path("teams/", views.teams, name="teams"),
    path("support-services/", views.support_services, name="support-services"),
    path("support-services/new/", views.support_service, name="support-service-new"),
    path("support-services/<int:pk>/", views.support_service, name="support-service"),
]
