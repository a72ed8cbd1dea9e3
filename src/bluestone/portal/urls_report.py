from django.urls import URLPattern, path

from bluestone.portal import views

# Page names only, never anything about the person: these addresses end up in browser history.
urlpatterns: list[URLPattern] = [
    path("", views.start, name="start"),
    path("support/", views.support, name="support"),
    path("cookies/", views.cookies, name="cookies"),
    path("staying-safe-online/", views.safety, name="safety"),
    path("exit/", views.exit_this_page, name="exit"),
    path("report/check/", views.report_check, name="report-check"),
    path("report/sent/", views.report_sent, name="report-sent"),
    path("report/<slug:step>/", views.report_question, name="report-question"),
]
