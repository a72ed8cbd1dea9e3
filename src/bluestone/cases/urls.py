from django.urls import path

from bluestone.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.home, name="home"),
    path("cases/search/", views.search, name="search"),
    path("cases/mine/", views.my_cases, name="mine"),
    path("cases/team/", views.team_cases, name="team"),
    path("cases/break-glass/", views.team_break_glass, name="team-break-glass"),
    path("cases/new/", views.case_new, name="new"),
    path("cases/<uuid:pk>/", views.case_detail, name="detail"),
    path("cases/<uuid:pk>/break-glass/", views.break_glass, name="break-glass"),
    path("cases/<uuid:pk>/restrict/", views.restrict, name="restrict"),
    path("cases/<uuid:pk>/restriction/", views.restriction, name="restriction"),
    path("cases/<uuid:pk>/allocate/", views.allocate, name="allocate"),
    path("cases/<uuid:pk>/case-need/", views.grant_case_need, name="grant-case-need"),
    path("analysis/cases/", views.analysis_cases, name="analysis-list"),
    path("analysis/cases/<uuid:pk>/", views.analysis_case_detail, name="analysis-detail"),
    path("analysis/cases/<uuid:pk>/case-need/", views.analysis_case_need, name="analysis-case-need"),
    path("break-glass-log/", views.break_glass_log_view, name="break-glass-log"),
]
