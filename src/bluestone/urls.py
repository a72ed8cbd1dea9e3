from django.urls import include, path

urlpatterns = [
    path("", include("bluestone.cases.urls")),
    path("account/", include("bluestone.accounts.urls")),
    path("audit/", include("bluestone.audit.urls")),
]

# Django's default handlers render templates/403.html, 404.html and 500.html: ours carry no
# personal data and use the service's layout.
