from django.apps import AppConfig


class InvestigationConfig(AppConfig):
    name = "bluestone.investigation"
    label = "investigation"
    verbose_name = "Investigation"
