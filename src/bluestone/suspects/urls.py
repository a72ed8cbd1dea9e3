from django.urls import URLPattern

app_name = "suspects"
urlpatterns: list[URLPattern] = []
