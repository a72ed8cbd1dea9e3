from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "bluestone.accounts"
    label = "accounts"
    verbose_name = "Users, teams and roles"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in  # noqa: PLC0415 (apps must be ready)

        from bluestone.accounts.middleware import session_limits_start  # noqa: PLC0415

        user_logged_in.connect(session_limits_start, dispatch_uid="bluestone.session_limits_start")
