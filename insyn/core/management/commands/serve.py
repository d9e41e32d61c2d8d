"""`insyn serve`: the production web server (gunicorn running config.wsgi), configured from the environment.

`make run` (runserver, DEBUG on) is the development demo; this is what runs behind nginx
(docs/deployment.md). The command replaces itself with gunicorn (exec), so that systemd and signals
(HUP reloads the workers, TERM stops gracefully) reach gunicorn's master directly.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management.base import BaseCommand, CommandError

MAX_DEFAULT_WORKERS = 8  # each worker holds Django + Wagtail + WeasyPrint in memory (~150 MB)
# Threaded (gthread) workers by default: a sync worker serves one connection at a time and lingers on each
# close until the client hangs up, and it cannot keep nginx's upstream connections alive (bench/serve_throughput.py).
DEFAULT_THREADS = 4


def default_workers() -> int:
    return min(2 * (os.cpu_count() or 1) + 1, MAX_DEFAULT_WORKERS)


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise CommandError(f"{name} must be a whole number, not {value!r}.") from exc


def gunicorn_argv(*, bind: list[str], workers: int, threads: int, timeout: int) -> list[str]:
    argv = [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
    for address in bind:
        argv += ["--bind", address]
    argv += ["--workers", str(workers)]
    if threads > 1:
        argv += ["--worker-class", "gthread", "--threads", str(threads)]
    argv += [
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        str(_env_int("INSYN_GRACEFUL_TIMEOUT", 30)),
        "--keep-alive",
        str(_env_int("INSYN_KEEP_ALIVE", 5)),
        # Only the proxy on this machine may say the request came over https (X-Forwarded-Proto).
        "--forwarded-allow-ips",
        os.environ.get("INSYN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
        "--access-logfile",
        "-",
        "--error-logfile",
        "-",
        # Gunicorn's control socket (a fixed path in $HOME) is not used; systemd sends the signals.
        "--no-control-socket",
    ]
    # Off by default: with threaded workers, a worker retiring after N requests left some requests
    # it had accepted waiting for about 17 s (bench/serve_throughput.py, gunicorn 27.0.1).
    max_requests = _env_int("INSYN_MAX_REQUESTS", 0)
    if max_requests > 0:
        argv += ["--max-requests", str(max_requests), "--max-requests-jitter", str(max(1, max_requests // 10))]
    return argv


class Command(BaseCommand):
    help = (
        "Run the production web server: gunicorn with config.wsgi, DEBUG off. Bind address, workers, threads "
        "and timeout from INSYN_BIND (127.0.0.1:8000), INSYN_WORKERS (2 x cores + 1, at most 8), "
        "INSYN_THREADS (4; 1 = sync workers) and INSYN_TIMEOUT (120 s). "
        "Run `insyn collectstatic --noinput` first (`make serve` does)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", action="append", help="address to listen on (repeatable); default INSYN_BIND")
        parser.add_argument("--workers", type=int, help="worker processes; default INSYN_WORKERS")
        parser.add_argument("--print", action="store_true", help="print the gunicorn command line instead")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DEBUG or getattr(settings, "TESTING", False):
            raise CommandError(
                "insyn serve is the production server and refuses to start with DEBUG (or INSYN_TESTING) on. "
                "Set DEBUG=0 (see docs/deployment.md); for development use `make run`."
            )
        self._require_collected_static()
        bind = options["bind"] or [a.strip() for a in os.environ.get("INSYN_BIND", "127.0.0.1:8000").split(",")]
        argv = gunicorn_argv(
            bind=[a for a in bind if a],
            workers=options["workers"] or _env_int("INSYN_WORKERS", default_workers()),
            threads=_env_int("INSYN_THREADS", DEFAULT_THREADS),
            timeout=_env_int("INSYN_TIMEOUT", 120),
        )
        if options["print"]:
            self.stdout.write(" ".join(argv))
            return
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(argv[0], argv)  # noqa: S606 (our own interpreter, fixed arguments)

    def _require_collected_static(self) -> None:
        manifest = getattr(staticfiles_storage, "manifest_name", None)
        if manifest and not staticfiles_storage.exists(manifest):
            raise CommandError(
                f"No {manifest} in STATIC_ROOT ({settings.STATIC_ROOT}): run `insyn collectstatic --noinput` "
                "first (`make serve` does), or every page using static files fails."
            )
