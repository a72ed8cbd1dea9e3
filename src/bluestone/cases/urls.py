from django.urls import path

from bluestone.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.home, name="home"),
    path("cases/mine/", views.my_cases, name="mine"),
    path("cases/team/", views.team_cases, name="team"),
    path("cases/<uuid:pk>/", views.case_detail, name="detail"),
    path("overview/", views.overview, name="overview"),
]
