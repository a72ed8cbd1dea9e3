from django.urls import URLPattern, path

from bluestone.portal import views_triage

# Triage's staff pages, on the staff surface only (never under /portal/).
app_name = "triage"
urlpatterns: list[URLPattern] = [
    path("", views_triage.online_reports, name="reports"),
    path("callbacks/", views_triage.callbacks, name="callbacks"),
    path("portal-locks/", views_triage.portal_locks, name="portal-locks"),
    path("reports/<uuid:pk>/", views_triage.report_detail, name="report"),
    path("reports/<uuid:pk>/callback/", views_triage.callback_record, name="callback"),
    path("reports/<uuid:pk>/case/", views_triage.case_create, name="case-create"),
    path("reports/<uuid:pk>/intelligence/", views_triage.intelligence_record, name="intelligence"),
]
