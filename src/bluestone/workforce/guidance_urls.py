from django.urls import path

from bluestone.workforce import guidance_views as views

app_name = "guidance"
urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.new, name="new"),
    path("<slug:key>/", views.note, name="note"),
    path("<slug:key>/edit/", views.edit, name="edit"),
    path("<slug:key>/versions/<int:number>/", views.version, name="version"),
]
