from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "bluestone.audit"
    label = "audit"
    verbose_name = "Audit log (DPA 2018 s.62)"

    def ready(self) -> None:
        from axes.signals import user_locked_out  # noqa: PLC0415 (apps must be ready)
        from django.contrib.auth.signals import (  # noqa: PLC0415
            user_logged_in,
            user_logged_out,
            user_login_failed,
        )

        from bluestone.accounts.events import (  # noqa: PLC0415
            SecurityCodeVerified,
            SingleSignOnAccountChanged,
            SingleSignOnRefused,
        )
        from bluestone.audit import account_events  # noqa: PLC0415
        from bluestone.core.events import subscribe  # noqa: PLC0415

        # Sign-in, sign-out, failures and lockouts in the s.62 log (see account_events for why a
        # failure is committed on its own). `accounts` sits below `audit`: it publishes, we record.
        user_logged_in.connect(account_events.sign_in_audit, dispatch_uid="bluestone.audit.sign_in")
        user_logged_out.connect(account_events.sign_out_audit, dispatch_uid="bluestone.audit.sign_out")
        user_login_failed.connect(account_events.sign_in_failed_audit, dispatch_uid="bluestone.audit.sign_in_failed")
        user_locked_out.connect(account_events.lockout_audit, dispatch_uid="bluestone.audit.lockout")
        subscribe(SecurityCodeVerified, account_events.security_code_audit)
        subscribe(SingleSignOnRefused, account_events.single_sign_on_refused_audit)
        subscribe(SingleSignOnAccountChanged, account_events.single_sign_on_account_audit)

        from bluestone.audit import checks  # noqa: F401, PLC0415 (registers the deploy checks)
