from django.urls import URLPattern, path

from bluestone.portal.report import views

# Page names only, never anything about the person: these addresses end up in browser history.
urlpatterns: list[URLPattern] = [
    path("report/check/", views.report_check, name="report-check"),
    path("report/sent/", views.report_sent, name="report-sent"),
    path("report/<slug:step>/", views.report_question, name="report-question"),
]
