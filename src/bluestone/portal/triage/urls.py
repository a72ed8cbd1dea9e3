from django.urls import URLPattern, path

from bluestone.portal.triage import views

# Triage's staff pages, on the staff surface only (never under /portal/).
app_name = "triage"
urlpatterns: list[URLPattern] = [
    path("", views.online_reports, name="reports"),
    path("callbacks/", views.callbacks, name="callbacks"),
    path("portal-locks/", views.portal_locks, name="portal-locks"),
    path("reports/<uuid:pk>/", views.report_detail, name="report"),
    path("reports/<uuid:pk>/callback/", views.callback_record, name="callback"),
    path("reports/<uuid:pk>/case/", views.case_create, name="case-create"),
    path("reports/<uuid:pk>/intelligence/", views.intelligence_record, name="intelligence"),
]
