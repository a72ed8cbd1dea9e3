from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "bluestone.evidence"
    label = "evidence"
    verbose_name = "Evidence"
