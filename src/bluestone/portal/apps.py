from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "bluestone.portal"
    label = "portal"
    verbose_name = "Portal"
