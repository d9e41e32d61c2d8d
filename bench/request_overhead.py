"""Work every request paid before issue #9: the OpenAPI schema rebuilt, a new database connection opened.

Both measured in one process through Django's WSGI handler (so `request_started`/`request_finished`
close or keep the connection exactly as under gunicorn), each variant interleaved with the other:

- `GET /api/v1/openapi.json` with the schema cache emptied before every request (as before) and kept;
- `GET /no-such-page/` (a 404, the cheapest request that reaches the database: Wagtail's redirects
  middleware looks the path up) with `CONN_MAX_AGE` 0 (a connection and its PRAGMAs per request) and 600,
  in alternating blocks of 20 requests (interleaving one by one would reconnect every time).

    .venv/bin/python bench/request_overhead.py --repeat 200

Uses `DATABASE_URL` (default: a SQLite file in a temporary folder, migrated first).
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="insyn-request-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/insyn.sqlite3")
    os.environ["INSYN_VAR_DIR"] = tmp
    os.environ["INSYN_ENV_FILE"] = os.devnull
    os.environ["DEBUG"] = "0"
    os.environ["SECRET_KEY"] = "bench-" + "x" * 50
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"

    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.db import connection

    from insyn.api.api import api

    call_command("migrate", interactive=False, verbosity=0)
    handler = WSGIHandler()

    def get(path: str) -> int:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "443",
            "HTTP_HOST": "testserver",
            "HTTP_X_FORWARDED_PROTO": "https",
            "wsgi.url_scheme": "https",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
        }
        status: list[str] = []
        body = handler(environ, lambda s, _h, *_: status.append(s))
        b"".join(body)
        if hasattr(body, "close"):
            body.close()
        return int(status[0].split()[0])

    def openapi_rebuilt() -> None:
        api.openapi_schemas.clear()
        assert get("/api/v1/openapi.json") == 200

    def openapi_cached() -> None:
        assert get("/api/v1/openapi.json") == 200

    def not_found() -> None:
        assert get("/no-such-page/") == 404

    logging.getLogger("django.request").setLevel(logging.ERROR)  # "Not Found: …" on every request

    def connection_max_age(seconds: int) -> None:
        # Django reads CONN_MAX_AGE when it connects: reconnect under the new value.
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = seconds

    def in_blocks(before: int, after: int, repeat: int) -> dict[str, list[float]]:
        """Requests in blocks of 20 per setting (the first of a block, which (re)connects, not counted)."""
        times: dict[str, list[float]] = {f"404, CONN_MAX_AGE={before}": [], f"404, CONN_MAX_AGE={after}": []}
        for _ in range(max(repeat // 20, 1)):
            for seconds in (before, after):
                connection_max_age(seconds)
                not_found()
                for _ in range(20):
                    started = time.process_time()
                    not_found()
                    times[f"404, CONN_MAX_AGE={seconds}"].append(time.process_time() - started)
        return times

    pairs: list[tuple[str, Callable[[], None], str, Callable[[], None], int]] = [
        ("openapi.json rebuilt", openapi_rebuilt, "openapi.json cached", openapi_cached, max(args.repeat // 10, 5)),
    ]
    print(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {connection.vendor}, "
        f"load {os.getloadavg()[0]:.1f}; median (min) per request, CPU time of this process"
    )
    for before_label, before, after_label, after, repeat in pairs:
        before(), after()  # warm up
        times: dict[str, list[float]] = {before_label: [], after_label: []}
        for _ in range(repeat):
            for label, run in ((before_label, before), (after_label, after)):
                started = time.process_time()
                run()
                times[label].append(time.process_time() - started)
        b, a = statistics.median(times[before_label]), statistics.median(times[after_label])
        print(
            f"  {before_label:<24} {b * 1e3:8.2f} ms ({min(times[before_label]) * 1e3:.2f})   "
            f"{after_label:<24} {a * 1e3:8.2f} ms ({min(times[after_label]) * 1e3:.2f})   "
            f"ratio {b / a:.1f}×  ({repeat} each)"
        )
    times = in_blocks(0, 600, args.repeat)
    (b_label, b_runs), (a_label, a_runs) = times.items()
    b, a = statistics.median(b_runs), statistics.median(a_runs)
    print(
        f"  {b_label:<24} {b * 1e3:8.2f} ms ({min(b_runs) * 1e3:.2f})   "
        f"{a_label:<24} {a * 1e3:8.2f} ms ({min(a_runs) * 1e3:.2f})   "
        f"ratio {b / a:.2f}×  ({len(a_runs)} each)"
    )


if __name__ == "__main__":
    main()
