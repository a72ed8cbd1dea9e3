from django.apps import AppConfig


class VictimsConfig(AppConfig):
    name = "bluestone.victims"
    label = "victims"
    verbose_name = "Victims"
