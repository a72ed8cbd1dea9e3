from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "bluestone.accounts"
    label = "accounts"
    verbose_name = "Users, teams and roles"
