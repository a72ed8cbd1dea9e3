from django.urls import path

from bluestone.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.access_log, name="access-log"),
    path("download/", views.access_log_export, name="access-log-export"),
    path("sign-ins/", views.sign_ins, name="sign-ins"),
    path("verify/", views.verify, name="verify"),
]
