from django.urls import path

from bluestone.insights import views

app_name = "insights"

urlpatterns = [
    path("measures/", views.measures, name="measures"),
    path("measures/download/", views.measures_download, name="measures-download"),
]
