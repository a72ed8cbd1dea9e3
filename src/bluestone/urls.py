from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path

from bluestone.core import favicon, health

# One codebase, two surfaces (ARCHITECTURE.md): BLUESTONE_SURFACES chooses which this deployment
# serves, so the internet-facing portal server has no staff route at all.
# Liveness and readiness answer on every surface, for the load balancer and the service manager, and
# so does the icon a browser asks the root for.
urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", health.liveness, name="healthz"),
    path("readyz", health.readiness, name="readyz"),
    path("favicon.ico", favicon.favicon, name="favicon"),
]
if "staff" in settings.BLUESTONE_SURFACES:
    urlpatterns += [
        path("", include("bluestone.cases.urls")),
        path("account/", include("bluestone.accounts.urls")),
        path("audit/", include("bluestone.audit.urls")),
        path("", include("bluestone.suspects.urls")),
        path("", include("bluestone.investigation.urls")),
        path("", include("bluestone.victims.urls")),
        path("", include("bluestone.evidence.urls")),
        path("triage/", include("bluestone.portal.triage.urls")),
        path("", include("bluestone.insights.urls")),
        path("case-file-reviews/", include("bluestone.filereviews.urls")),
        path("administration/", include("bluestone.administration.urls")),
        path("workforce/", include("bluestone.workforce.urls")),
        path("guidance/", include("bluestone.workforce.guidance_urls")),
    ]
if "portal" in settings.BLUESTONE_SURFACES:
    urlpatterns += [path("portal/", include("bluestone.portal.urls"))]

# Django's default handlers render templates/403.html, 404.html and 500.html: ours carry no
# personal data and use the service's layout.
