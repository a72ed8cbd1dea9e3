from django.urls import include, path

urlpatterns = [
    path("", include("bluestone.cases.urls")),
    path("account/", include("bluestone.accounts.urls")),
]
