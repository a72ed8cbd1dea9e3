from django.urls import path

from bluestone.suspects import views

app_name = "suspects"
urlpatterns = [
    path("repeat-suspects/", views.register, name="register"),
    path("repeat-suspects/run/", views.run_now, name="run"),
    path("repeat-suspects/disparity/", views.disparity, name="disparity"),
    path("repeat-suspects/<uuid:pk>/", views.identity, name="identity"),
    path("repeat-suspects/<uuid:pk>/split/", views.identity_split_view, name="identity-split"),
    path("repeat-suspects/<uuid:pk>/merge/", views.identity_merge_view, name="identity-merge"),
    path("repeat-suspects/<uuid:pk>/tactics/add/", views.tactic_add, name="tactic-add"),
    path("repeat-suspects/tactics/<uuid:pk>/", views.tactic_update, name="tactic-update"),
    path("link-review/", views.review, name="review"),
    path("link-review/<uuid:pk>/", views.pair, name="pair"),
    path("link-review/<uuid:pk>/case-need/", views.pair_case_need, name="pair-case-need"),
]
