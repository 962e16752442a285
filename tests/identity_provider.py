"""A real identity provider for the single sign-on tests: OpenID Connect and CAS in a second Django process.

Like a provincial 统一身份认证平台, one server speaks both protocols over one user directory, with maintained
implementations of each: django-oidc-provider (discovery, authorization code flow with PKCE, RS256-signed ID
tokens, JWKS, userinfo) and django-cas-server (CAS 1/2/3 with attributes). The tests start it on loopback with
`identity_provider(...)`; it prints its address once its socket listens, so no test waits on a timer.

Run as a script it reads a JSON description of its users and clients from standard input (see `start`).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LOGIN_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>统一身份认证平台（测试）</title></head>
<body><h1>统一身份认证平台（测试）</h1>
<form method="post">{% csrf_token %}
{% if form.errors %}<p role="alert">用户名或密码错误。</p>{% endif %}
<p><label for="id_username">账号</label> {{ form.username }}</p>
<p><label for="id_password">密码</label> {{ form.password }}</p>
<input type="hidden" name="next" value="{{ next }}">
<button type="submit">登录</button>
</form></body></html>
"""


@dataclass(frozen=True)
class IdentityProvider:
    """A running provider: its base address, OIDC issuer and CAS server address."""

    url: str

    @property
    def issuer(self) -> str:
        return f"{self.url}/openid"

    @property
    def cas_url(self) -> str:
        return f"{self.url}/cas/"


@contextlib.contextmanager
def identity_provider(
    data_dir: Path,
    *,
    users: list[dict[str, Any]],
    clients: Sequence[dict[str, Any]] = (),
    cas_services: Sequence[str] = (),
) -> Iterator[IdentityProvider]:
    """Start the provider in a subprocess; stop it on exit.

    users: {"username", "password", "email"?, "first_name"?, "last_name"?, "is_active"?}
    clients: {"client_id", "client_secret", "redirect_uris": [...]} (confidential, code flow, RS256, no consent)
    cas_services: regular expressions of the service addresses the CAS server accepts (all attributes released)
    """
    spec = {"data_dir": str(data_dir), "users": users, "clients": list(clients), "cas_services": list(cas_services)}
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "GONGKAI_"))}
    process = subprocess.Popen(
        [sys.executable, __file__],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=str(data_dir),
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(json.dumps(spec))
    process.stdin.close()
    output = ""
    deadline = time.monotonic() + 900  # a guard against a hang, not a speed check
    try:
        while True:
            ready, _, _ = select.select([process.stdout], [], [], max(0.0, deadline - time.monotonic()))
            line = process.stdout.readline() if ready else ""
            if not line:
                raise RuntimeError(f"the identity provider did not start:\n{output}")
            output += line
            if line.startswith("listening "):
                break
        yield IdentityProvider(line.split()[1])
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def userinfo(claims: dict[str, Any], user: Any) -> dict[str, Any]:
    """The provider's claims for a user (django-oidc-provider's OIDC_USERINFO hook)."""
    claims["preferred_username"] = user.username
    claims["name"] = f"{user.last_name}{user.first_name}"
    claims["family_name"] = user.last_name
    claims["given_name"] = user.first_name
    claims["email"] = user.email
    claims["email_verified"] = bool(user.email)
    return claims


def _configure(spec: dict[str, Any], base_url: str) -> None:
    import django
    from django.conf import settings

    settings.configure(
        DEBUG=False,
        SECRET_KEY=os.urandom(32).hex(),
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.messages",
            "oidc_provider",
            "cas_server",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": f"{spec['data_dir']}/idp.sqlite3"}},
        TEMPLATES=[{
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "context_processors": [
                    "django.template.context_processors.request",
                    "django.contrib.auth.context_processors.auth",
                    "django.contrib.messages.context_processors.messages",
                ],
                "loaders": [
                    ("django.template.loaders.locmem.Loader", {"registration/login.html": LOGIN_TEMPLATE}),
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }],
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        # Tables straight from the models (a throwaway database): running the migrations took seconds.
        MIGRATION_MODULES={app: None for app in ("auth", "contenttypes", "sessions", "oidc_provider", "cas_server")},
        USE_TZ=True,
        LANGUAGE_CODE="zh-hans",
        LOGIN_URL="/accounts/login/",
        SITE_URL=base_url,
        OIDC_USERINFO=f"{__name__}.userinfo",
        OIDC_IDTOKEN_INCLUDE_CLAIMS=False,
        CAS_NEW_VERSION_HTML_WARNING=False,
        CAS_NEW_VERSION_EMAIL_WARNING=False,
        CAS_SHOW_POWERED=False,
        CAS_AUTH_CLASS="cas_server.auth.DjangoAuthUser",
        STATIC_URL="/static/",
        SESSION_COOKIE_NAME="idp_session",
        CSRF_COOKIE_NAME="idp_csrftoken",
    )
    django.setup()


def urlpatterns_for() -> list[Any]:
    from django.contrib.auth import views as auth_views
    from django.urls import include, path

    return [
        path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
        path("openid/", include("oidc_provider.urls", namespace="oidc_provider")),
        path("cas/", include("cas_server.urls", namespace="cas_server")),
    ]


def _populate(spec: dict[str, Any]) -> None:
    from cas_server.models import ReplaceAttributName, ServicePattern
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType, RSAKey

    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
    for user in spec["users"]:
        fields = {k: v for k, v in user.items() if k not in {"username", "password"}}
        User.objects.create_user(username=user["username"], password=user["password"], **fields)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    RSAKey.objects.create(key=pem.decode())
    # django-oidc-provider's data migration would have made it.
    code = ResponseType.objects.create(value="code", description="code (Authorization Code Flow)")
    for spec_client in spec["clients"]:
        client = Client.objects.create(
            name=spec_client["client_id"],
            client_type="confidential",
            client_id=spec_client["client_id"],
            client_secret=spec_client["client_secret"],
            jwt_alg="RS256",
            require_consent=False,
            reuse_consent=True,
        )
        client.redirect_uris = spec_client["redirect_uris"]
        client.scope = ["openid", "profile", "email"]
        client.save()
        client.response_types.add(code)
    for position, pattern in enumerate(spec["cas_services"]):
        service = ServicePattern.objects.create(pos=position, name=f"service {position}", pattern=pattern)
        ReplaceAttributName.objects.create(name="*", service_pattern=service)


def main() -> None:
    spec = json.loads(sys.stdin.read())
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    _configure(spec, base_url)
    global urlpatterns
    urlpatterns = urlpatterns_for()
    _populate(spec)
    from django.core.handlers.wsgi import WSGIHandler

    server.set_app(WSGIHandler())
    print(f"listening {base_url}", flush=True)
    server.serve_forever()


urlpatterns: list[Any] = []

if __name__ == "__main__":
    main()
