from django.contrib.auth import views as auth_views
from django.urls import path

from . import views, views_account, views_ledgers, views_signon

app_name = "workspace"
urlpatterns = [
    path("login/", views_account.LoginView.as_view(), name="login"),
    path("login/verify/", views_account.login_verify, name="login_verify"),
    path("login/enrol/", views_account.login_enrol, name="login_enrol"),
    path("login/enrol/qr.svg", views_account.enrol_qr, name="enrol_qr"),
    path("account/", views_account.account, name="account"),
    path("account/enrol/", views_account.account_enrol, name="account_enrol"),
    path("account/recovery-codes/", views_account.account_recovery_codes, name="account_recovery_codes"),
    path("account/second-factor/remove/", views_account.account_remove_factor, name="account_remove_factor"),
    path("account/password/", views_account.PasswordChangeView.as_view(), name="password_change"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("sso/<slug:provider>/", views_signon.sign_on, name="sign_on"),
    path("sso/<slug:provider>/callback/", views_signon.sign_on_callback, name="sign_on_callback"),
    path("", views.home, name="home"),
    path("items/", views.item_list, name="items"),
    path("items/new/", views.item_create, name="item_create"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/submit/", views.item_submit, name="item_submit"),
    path("items/<int:pk>/cancel/", views.item_cancel, name="item_cancel"),
    path("items/<int:pk>/withdraw/", views.item_withdraw, name="item_withdraw"),
    path("items/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("items/<int:pk>/channel/", views.item_channel, name="item_channel"),
    path("items/<int:pk>/revisions/<int:number>/", views.item_revision, name="item_revision"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/tasks/<int:pk>/", views.review_task, name="review_task"),
    path("review/findings/<int:pk>/override/", views.finding_override, name="finding_override"),
    path("duties/", views.duty_lists, name="duty_lists"),
    path("duties/new/", views.duty_version_create, name="duty_version_create"),
    path("duties/versions/<int:pk>/", views.duty_version_detail, name="duty_version"),
    path("duties/versions/<int:pk>/submit/", views.duty_version_submit, name="duty_version_submit"),
    path("audit/", views.audit_log, name="audit"),
    path("roles/", views.roles, name="roles"),
    path("ledgers/<str:kind>/", views_ledgers.ledger, name="ledger"),
]
