"""`gongkai serve`: the production web server.

Gunicorn with threaded workers (gthread, 2 × cores + 1 processes of 2 threads), chosen by measuring
(docs/benchmarks.md, bench/servers/run.py): on two cores it served the most requests per second, both for a
Django view and for WhiteNoise's static files, and its figures varied least while other work shared the
machine. Unlike sync workers it keeps connections alive and a slow client holds one thread, not a process,
which matters where no proxy buffers in front (the demo). Behind nginx see docs/operator-guide.md.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.translation import gettext_lazy

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

LOOPBACK_PROXIES = ("127.0.0.1", "::1")


def default_workers() -> int:
    # Gunicorn's rule of thumb, which the measurements bore out: processes waiting on the network or the
    # database while others compute keep every core busy.
    return 2 * (os.cpu_count() or 1) + 1


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise ValueError(f"not a port number: {value!r}") from None
    if not 0 <= port <= 65535:
        raise ValueError(f"port must be between 0 and 65535, not {port}")
    return port


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(f"must be at least 1, not {number}")
    return number


def open_listener(host: str, port: int) -> socket.socket:
    """Bind the listening socket here, so bad addresses fail at once with a plain message.

    An IPv6 wildcard (`::`) also accepts IPv4 (dual stack) whatever the system's bindv6only default is.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise CommandError(f"cannot listen on host {host!r}: {exc.strerror}") from exc
    family, kind, proto, _, address = infos[0]
    listener = socket.socket(family, kind, proto)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            listener.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        listener.bind(address)
        listener.listen(2048)
    except OSError as exc:
        listener.close()
        raise CommandError(f"cannot listen on {host} port {port}: {exc.strerror}") from exc
    return listener


def display_url(listener: socket.socket) -> str:
    host, port = listener.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def trust_forwarded_address(app: WSGIApp, proxies: Iterable[str]) -> WSGIApp:
    """Take REMOTE_ADDR from X-Forwarded-For, but only on connections from the given proxies.

    The audit trail records REMOTE_ADDR (core.middleware); behind nginx that would be nginx's own address.
    The rightmost X-Forwarded-For entry is the one our proxy saw; anything left of it came from the client.
    """
    trusted = {ipaddress.ip_address(p) for p in proxies}

    def wrapped(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            try:
                if ipaddress.ip_address(environ.get("REMOTE_ADDR", "")) in trusted:
                    environ["REMOTE_ADDR"] = str(ipaddress.ip_address(forwarded.split(",")[-1].strip()))
            except ValueError:
                pass  # not an address: keep the peer's, never store what a client typed into the audit trail
        return app(environ, start_response)

    return wrapped


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "运行生产环境 Web 服务（gunicorn，含静态文件）。"
        "Runs the production web server (gunicorn gthread workers; static files via WhiteNoise)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on; '::' is dual stack")
        parser.add_argument(
            "--port", type=_port, default=8000, help="port (default 8000; 0 picks a free one)"
        )
        parser.add_argument(
            "--workers",
            type=_positive,
            default=default_workers(),
            help="worker processes (default 2 × cores + 1 = %(default)s)",
        )
        parser.add_argument(
            "--threads",
            type=_positive,
            default=2,
            help="threads per worker (default 2, the measured best on two cores)",
        )
        parser.add_argument(
            "--timeout",
            type=_positive,
            default=120,
            help="seconds before a silent worker is restarted (default 120: report rendering can be slow)",
        )
        parser.add_argument(
            "--trusted-proxy",
            action="append",
            default=None,
            metavar="ADDRESS",
            help="take the client address from X-Forwarded-For on connections from ADDRESS (repeatable; "
            "default: 127.0.0.1 and ::1 when GONGKAI_BEHIND_PROXY is set, else none)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from gunicorn.app.base import BaseApplication  # imported here: only this command needs it

        proxies: list[str] = options["trusted_proxy"]
        if proxies is None:
            behind_proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is not None
            proxies = list(LOOPBACK_PROXIES) if behind_proxy else []
        for proxy in proxies:
            try:
                ipaddress.ip_address(proxy)
            except ValueError:
                raise CommandError(f"--trusted-proxy must be an IP address, not {proxy!r}") from None

        if not (settings.STATIC_ROOT / "staticfiles.json").exists():
            self.stdout.write(f"Collecting static files into {settings.STATIC_ROOT} ...")
            call_command("collectstatic", interactive=False, verbosity=0)
        # Only now: WhiteNoise indexes STATIC_ROOT once, when the WSGI application is built.
        from gongkai.wsgi import application

        listener = open_listener(options["host"], options["port"])
        url = display_url(listener)
        app: WSGIApp = trust_forwarded_address(application, proxies) if proxies else application
        gunicorn_options = {
            # Gunicorn takes over the socket we bound; detach() so our object won't close its descriptor.
            "bind": [f"fd://{listener.detach()}"],
            "workers": options["workers"],
            "worker_class": "gthread",
            "threads": options["threads"],
            "timeout": options["timeout"],
            "graceful_timeout": 30,
            "forwarded_allow_ips": ",".join(proxies) if proxies else "127.0.0.1,::1",
            "proc_name": "gongkai",
            "accesslog": None,  # nginx keeps access logs; client addresses are personal data
            "errorlog": "-",
            # Gunicorn 27's control socket lives in $HOME by default: two servers of one user would share it,
            # and systemd's ProtectHome forbids it. Signals (HUP, TERM, TTIN/TTOU) remain the interface.
            "control_socket_disable": True,
        }

        class Server(BaseApplication):
            def load_config(self) -> None:
                for key, value in gunicorn_options.items():
                    self.cfg.set(key, value)

            def load(self) -> WSGIApp:
                return app

        # Workers are forked from this process: no database connection may be shared with them.
        connections.close_all()
        self.stdout.write(
            f"gongkai serving {url} with {options['workers']} workers × {options['threads']} threads (Ctrl-C stops)"
        )
        self.stdout.flush()
        Server().run()
