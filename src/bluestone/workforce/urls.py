from django.urls import path

from bluestone.workforce import views

app_name = "workforce"
urlpatterns = [
    path("", views.team, name="team"),
    path("you/", views.mine, name="mine"),
    path("you/exposure/", views.exposure, name="exposure"),
    path("officers/<int:pk>/", views.officer, name="officer"),
    path("officers/<int:pk>/post/", views.officer_profile, name="officer-profile"),
    path("officers/<int:pk>/training/new/", views.training_new, name="training-new"),
    path("officers/<int:pk>/check-ins/new/", views.check_in_new, name="check-in-new"),
    path("officers/<int:pk>/screenings/new/", views.screening_new, name="screening-new"),
    path("check-ins/<uuid:pk>/", views.check_in, name="check-in"),
    path("occupational-health/", views.occupational_health, name="occupational-health"),
    path("courses/", views.courses, name="courses"),
    path("courses/new/", views.course, name="course-new"),
    path("courses/<int:pk>/", views.course, name="course"),
]
