from django.urls import URLPattern, path

from bluestone.portal import views

# Page names only, never anything about the person: these addresses end up in browser history.
urlpatterns: list[URLPattern] = [
    path("", views.start, name="start"),
    path("support/", views.support, name="support"),
    path("cookies/", views.cookies, name="cookies"),
    path("staying-safe-online/", views.safety, name="safety"),
]
