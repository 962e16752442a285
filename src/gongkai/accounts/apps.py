from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AccountsConfig(AppConfig):
    """Staff accounts (账号安全): logins by password or single sign-on (统一身份认证), second factor, sessions,
    passwords and lock-out, to 等保 2.0 level 2."""

    name = "gongkai.accounts"
    label = "accounts"
    verbose_name = gettext_lazy("账号安全")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from .login import forget_session_marks

        user_logged_out.connect(forget_session_marks, dispatch_uid="gongkai.accounts.logged_out")
