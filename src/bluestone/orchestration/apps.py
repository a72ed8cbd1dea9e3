from django.apps import AppConfig


class OrchestrationConfig(AppConfig):
    # An app only so that Django finds its management commands; it has no models.
    name = "bluestone.orchestration"
    label = "orchestration"
    verbose_name = "Commands that span the apps"
