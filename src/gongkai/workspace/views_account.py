"""Logging in and account security (登录与账号安全): password, second factor (TOTP or a recovery code), enrolling
an authenticator, recovery codes, changing the password. The rules live in `gongkai.accounts`; these views
parse input, call it, render."""

from __future__ import annotations

from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gongkai.accounts import login as account_login
from gongkai.accounts import policy, services
from gongkai.core import ratelimit
from gongkai.core.middleware import client_address

from .views_signon import provider_links


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("验证码"), max_length=20, widget=forms.TextInput(attrs={
        "autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}))


class LoginView(auth_views.LoginView):
    """工作人员登录: the password form, with the configured single sign-on providers beside it. Both steps end in
    `accounts.login.complete_staff_login`, which takes it from there."""

    template_name = "workspace/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sign_on_providers"] = provider_links(context.get("next") or "")
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        ratelimit.hit("staff-login", client_address(request),
                      ratelimit.limits_from_setting("LOGIN_RATE_LIMITS", [(30, 600)]))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        return account_login.complete_staff_login(self.request, user, backend=user.backend,
                                                  next_url=self.get_success_url())


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin site's login page is the workspace's, so that the admin gets the second factor and lock-out too."""
    query = request.META.get("QUERY_STRING", "")
    return redirect(reverse("workspace:login") + (f"?{query}" if query else "?next=/admin/"))


@never_cache
def login_verify(request: HttpRequest) -> HttpResponse:
    """The second step: six digits from the authenticator app, or a recovery code."""
    found = account_login.pending_login(request)
    if found is None:
        return redirect("workspace:login")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        done = account_login.verify_second_factor(request, form.cleaned_data["code"])
        if done is not None:
            return done
        form.add_error("code", gettext("验证码不正确或已使用过，请输入身份验证器上当前显示的6位数字，或一个未用过的恢复码。"))
        status = 400
    return render(request, "workspace/login_verify.html", {"form": form, "username": found[0].get_username()},
                  status=status)


def _enrolment(request: HttpRequest, user: Any, *, during_login: bool) -> HttpResponse:
    device = services.start_enrolment(user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_enrolment(user, form.cleaned_data["code"])
        if codes is not None:
            if during_login:
                found = account_login.pending_login(request)
                if found is None:
                    return redirect("workspace:login")
                _user, pending = found
                done = account_login.finish_login(request, user, backend=pending["backend"],
                                                  next_url=pending["next"], method=pending.get("method", "password"),
                                                  provider=pending.get("provider", ""), factor="totp")
                next_url = done["Location"]
            else:
                account_login.mark_second_factor(request.session, "totp")
                next_url = reverse("workspace:account")
            return render(request, "workspace/recovery_codes.html", {"codes": codes, "next_url": next_url,
                                                                      "enrolled": True})
        form.add_error("code", gettext("验证码不正确，请核对手机时间并输入身份验证器上当前显示的6位数字。"))
        status = 400
    return render(request, "workspace/login_enrol.html", {
        "form": form, "secret": services.secret_text(device), "during_login": during_login,
        "required": policy.requires_second_factor(user) or during_login, "username": user.get_username(),
    }, status=status)


@never_cache
def login_enrol(request: HttpRequest) -> HttpResponse:
    """Setting up an authenticator before the first login of someone whose roles require one."""
    found = account_login.pending_login(request)
    if found is None:
        return redirect("workspace:login")
    return _enrolment(request, found[0], during_login=True)


@never_cache
def enrol_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the authenticator being set up (for the pending login or the logged-in user), drawn here:
    the secret never leaves the site for an outside QR service."""
    found = account_login.pending_login(request)
    user = found[0] if found is not None else (request.user if request.user.is_authenticated else None)
    device = services.pending_device(user) if user is not None else None
    if device is None:
        raise Http404
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    response = HttpResponse(image.to_string(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(request, "workspace/account.html", {
        "device": services.confirmed_device(user), "codes_left": services.recovery_codes_left(user),
        "required": policy.requires_second_factor(user), "form": CodeForm(),
        "idle_minutes": policy.idle_timeout() // 60, "max_hours": policy.absolute_timeout() // 3600,
    })


@never_cache
@login_required
def account_enrol(request: HttpRequest) -> HttpResponse:
    return _enrolment(request, request.user, during_login=False)


def _with_current_code(request: HttpRequest) -> bool:
    form = CodeForm(request.POST)
    if form.is_valid() and services.verify_code(request.user, form.cleaned_data["code"]) == "totp":
        return True
    messages.error(request, gettext("请输入身份验证器上当前显示的6位数字。"))
    return False


@never_cache
@login_required
@require_POST
def account_recovery_codes(request: HttpRequest) -> HttpResponse:
    if not _with_current_code(request):
        return redirect("workspace:account")
    return render(request, "workspace/recovery_codes.html", {
        "codes": services.new_recovery_codes(request.user), "next_url": reverse("workspace:account"),
    })


@login_required
@require_POST
def account_remove_factor(request: HttpRequest) -> HttpResponse:
    if policy.requires_second_factor(request.user):
        raise PermissionDenied(gettext("您的岗位须使用双因素认证，不能停用。"))
    if _with_current_code(request):
        services.remove_second_factor(request.user, request.user)
        messages.success(request, gettext("已停用双因素认证。"))
    return redirect("workspace:account")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "workspace/password_change.html"
    success_url = reverse_lazy("workspace:account")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        update_session_auth_hash(self.request, form.user)
        services.password_changed(form.user)
        messages.success(self.request, gettext("密码已修改。"))
        return response

