from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "bluestone.accounts"
    label = "accounts"
    verbose_name = "Users, teams and roles"

    def ready(self) -> None:
        from axes.signals import user_locked_out  # noqa: PLC0415 (apps must be ready)
        from django.contrib.auth.signals import (  # noqa: PLC0415
            user_logged_in,
            user_logged_out,
            user_login_failed,
        )

        from bluestone.accounts import audit_signals  # noqa: PLC0415
        from bluestone.accounts.middleware import session_limits_start  # noqa: PLC0415

        user_logged_in.connect(session_limits_start, dispatch_uid="bluestone.session_limits_start")
        # Sign-in, sign-out, failures and lockouts in the s.62 log (see audit_signals for why a failure
        # is committed on its own).
        user_logged_in.connect(audit_signals.sign_in_audit, dispatch_uid="bluestone.audit.sign_in")
        user_logged_out.connect(audit_signals.sign_out_audit, dispatch_uid="bluestone.audit.sign_out")
        user_login_failed.connect(audit_signals.sign_in_failed_audit, dispatch_uid="bluestone.audit.sign_in_failed")
        user_locked_out.connect(audit_signals.lockout_audit, dispatch_uid="bluestone.audit.lockout")
