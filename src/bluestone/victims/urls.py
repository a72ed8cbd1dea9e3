from django.urls import URLPattern

app_name = "victims"
urlpatterns: list[URLPattern] = []
