"""Administration: users, teams and roles, kept by the force's administrators."""

from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "bluestone.administration"
    label = "administration"
    verbose_name = "Administration"

    def ready(self) -> None:
        from bluestone.administration import rules  # noqa: F401, PLC0415  (registers the rules)
