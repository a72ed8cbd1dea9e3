from django.apps import AppConfig


class InsightsConfig(AppConfig):
    # The measures of every pillar: it reads the apps' records and holds no models of its own.
    name = "bluestone.insights"
    label = "insights"
    verbose_name = "Performance measures"

    def ready(self) -> None:
        from bluestone.insights import rules  # noqa: F401, PLC0415
