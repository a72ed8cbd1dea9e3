from django.apps import AppConfig


class FileReviewsConfig(AppConfig):
    # Reviews of samples of finalised case files against the operating model's pillars.
    name = "bluestone.filereviews"
    label = "filereviews"
    verbose_name = "Case-file reviews"

    def ready(self) -> None:
        from bluestone.filereviews import rules  # noqa: F401, PLC0415
