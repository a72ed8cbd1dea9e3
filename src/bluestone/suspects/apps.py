from django.apps import AppConfig


class SuspectsConfig(AppConfig):
    name = "bluestone.suspects"
    label = "suspects"
    verbose_name = "Suspects"
