from django.urls import path

from bluestone.insights import views

app_name = "insights"

urlpatterns = [
    path("measures/", views.measures, name="measures"),
    path("measures/download/", views.measures_download, name="measures-download"),
    path("measures/exports/", views.exports, name="exports"),
    path("measures/exports/download/", views.exports_download, name="exports-download"),
]
