from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """工作人员账号登录: how a staff login completes, by password or through single sign-on (统一身份认证)."""

    name = "gongkai.accounts"
    label = "accounts"
    verbose_name = "工作人员登录"
