from django.urls import URLPattern, URLResolver, include, path

from bluestone.portal import views
from bluestone.portal.follow import urls as follow_urls
from bluestone.portal.pages import portal_patterns
from bluestone.portal.report import urls as report_urls

# The portal's own pages (start, support, the quick exit that ends both halves' sessions) and its
# two halves: reporting online, and following a case. Page names only, never anything about the
# person: these addresses end up in browser history. Every view is wrapped by portal_page:
# anonymous (never the staff session), never cached.
shared_urlpatterns: list[URLPattern] = [
    path("", views.start, name="start"),
    path("support/", views.support, name="support"),
    path("cookies/", views.cookies, name="cookies"),
    path("staying-safe-online/", views.safety, name="safety"),
    path("exit/", views.exit_this_page, name="exit"),
]

app_name = "portal"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include(portal_patterns(shared_urlpatterns))),
    path("", include(portal_patterns(report_urls.urlpatterns))),
    path("", include(portal_patterns(follow_urls.urlpatterns))),
]
