from django.urls import URLPattern, URLResolver, include, path

# The portal's two halves: reporting online (and the start and support pages), and following a case.
app_name = "portal"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("bluestone.portal.urls_report")),
    path("", include("bluestone.portal.urls_follow")),
]
