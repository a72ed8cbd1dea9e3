from django.urls import path

from bluestone.filereviews import views

app_name = "filereviews"

urlpatterns = [
    path("", views.samples, name="samples"),
    path("new/", views.sample_new, name="sample-new"),
    path("template/", views.template_edit, name="template"),
    path("<uuid:sample>/", views.sample, name="sample"),
    path("<uuid:sample>/cases/<uuid:review>/", views.review, name="review"),
    path("<uuid:sample>/actions/new/", views.action_new, name="action-new"),
    path("<uuid:sample>/actions/<uuid:action>/done/", views.action_done, name="action-done"),
]
