from django.urls import URLPattern, URLResolver, include, path

from bluestone.portal import urls_follow, urls_report
from bluestone.portal.pages import portal_patterns

# The portal's two halves: reporting online (and the start and support pages), and following a case.
# Every view of both is wrapped by portal_page: anonymous (never the staff session), never cached.
app_name = "portal"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include(portal_patterns(urls_report.urlpatterns))),
    path("", include(portal_patterns(urls_follow.urlpatterns))),
]
