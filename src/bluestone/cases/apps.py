from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "bluestone.cases"
    label = "cases"
    verbose_name = "Cases (POLE)"
