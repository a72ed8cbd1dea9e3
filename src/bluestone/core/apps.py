from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bluestone.core"
    label = "core"
    verbose_name = "Core and reference data"
