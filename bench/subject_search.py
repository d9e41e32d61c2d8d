"""Benchmark: the subject search over 100,000 persons and 1,000,000 rows across modules (issue 10, acceptance 7).

Builds, with `bulk_create` into a throwaway database, one municipality with:

- 100,000 officials (valid personnummer, e-mail, names), a fifth of them with a login;
- 1,000,000 rows: 200,000 memberships, 100,000 loans, 100,000 receipts, 10,000 incidents,
  10,000 broadband requests, 50,000 reminders, and 530,000 audit entries (three per person about their
  person row, one per loan, the rest by the logins as actors);
- a register whose activities list every model, so each hit carries its activities.

Then measures `subject_search` (audited, as in production, by a DPO) for `--queries` random persons by
national id, and as many by e-mail and name, and reports p50/p95/max in milliseconds, hits per search and
SQL statements per search. Goal: p95 ≤ 100 ms.

    .venv/bin/python bench/subject_search.py [--persons 100000] [--queries 200] [--database sqlite|postgres]

The database is thrown away afterwards: a temporary SQLite file, or the PostgreSQL database
`insyn_bench_subject` on 127.0.0.1:5432 (user postgres, trust auth), created and dropped with psql.
Never run by the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_NAME = "insyn_bench_subject"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"
BATCH = 5000


def _psql(sql: str) -> None:
    command = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql]
    subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603


@contextmanager
def throwaway_database(kind: str, keep: bool = False) -> Iterator[str]:
    """The benchmark's database. With `keep`, it is left for the next run (`--keep`), which migrates it (new
    indexes) and reuses its rows: profiling a change then needs no new build."""
    workdir = Path(tempfile.gettempdir()) / "insyn-bench-subject-kept" if keep else None
    if workdir is None:
        workdir = Path(tempfile.mkdtemp(prefix="insyn-bench-subject-"))
    workdir.mkdir(exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["INSYN_TESTING"] = "1"
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ["DEBUG"] = "0"
    os.environ["INSYN_VAR_DIR"] = str(workdir)
    if kind == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    else:
        if not keep:
            _psql(f"DROP DATABASE IF EXISTS {PG_NAME}")
        try:
            _psql(f"CREATE DATABASE {PG_NAME}")
        except subprocess.CalledProcessError:
            if not keep:
                raise
        os.environ["DATABASE_URL"] = PG_URL
    try:
        import django
        from django.core.management import call_command

        warnings.filterwarnings("ignore", message="No directory at")
        django.setup()
        call_command("migrate", verbosity=0)
        from django.db import connection

        if kind == "sqlite":
            version = connection.Database.sqlite_version  # type: ignore[attr-defined]
        else:
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                version = cursor.fetchone()[0]
        yield f"{connection.vendor} {version}"
    finally:
        from django.db import connections

        connections.close_all()
        if not keep:
            if kind == "postgres":
                _psql(f"DROP DATABASE IF EXISTS {PG_NAME}")
            shutil.rmtree(workdir, ignore_errors=True)


def personnummer(n: int) -> str:
    """A valid personnummer (Luhn check digit), unique per n: born 1940–1999, serial 001–999."""
    year, serial = 1940 + n % 60, 1 + (n // 60) % 999
    month, day = 1 + (n // 59_940) % 12, 1 + (n // 719_280) % 28
    base = f"{year % 100:02d}{month:02d}{day:02d}{serial:03d}"
    total = 0
    for i, char in enumerate(base):
        digit = int(char) * (2 if i % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    check = (10 - total % 10) % 10
    return f"{year}{month:02d}{day:02d}-{serial:03d}{check}"


def _bulk(model: Any, rows: list[Any]) -> list[Any]:
    made = []
    for start in range(0, len(rows), BATCH):
        made += model.objects.bulk_create(rows[start : start + BATCH], batch_size=BATCH)
    return made


def build(persons: int) -> dict[str, Any]:
    from django.contrib.auth.models import User
    from django.utils import timezone

    from insyn.core.models.audit import AuditEntry
    from insyn.core.tests.factories import make_municipality, make_organ, make_user_with_role
    from insyn.loans.models import BroadbandRequest, Device, Incident, Kit, Loan, LoanRuleSet, Receipt, Reminder
    from insyn.loans.tests.conftest import ORGANS
    from insyn.officials.models import Membership, Person
    from insyn.privacy.models import LegalBasis, ProcessingActivity, Register

    municipality = make_municipality("Benchkommun")
    organs = [make_organ(municipality, label, kind) for label, kind in ORGANS.values()]
    dpo = make_user_with_role(municipality, "dpo", username="dpo.bench")
    from insyn.core.tests.factories import make_document

    document = make_document(organs[1], title="Anvisning", registration_number="B1", document_type="instruction")
    rule_set = LoanRuleSet.objects.create(document=document, version="1", valid_from=dt.date(2022, 1, 1), rules={})
    now = timezone.now()
    counts: dict[str, int] = {}

    users = _bulk(User, [User(username=f"pol{i}", email=f"pol{i}@bench.example") for i in range(persons // 5)])
    staff = users[:50]
    people = _bulk(
        Person,
        [
            Person(
                municipality=municipality,
                external_id=f"p{i}",
                given_name=f"Förnamn{i % 5000}",
                family_name=f"Efternamn{i}",
                national_id=personnummer(i),
                national_id_scheme="se_personnummer",
                email=f"person{i}@bench.example",
                user=users[i] if i < len(users) else None,
            )
            for i in range(persons)
        ],
    )
    counts["persons"] = len(people)
    counts["users"] = len(users)
    memberships = [
        Membership(person=p, organisation=organs[(i + k) % len(organs)], role="ledamot", start_date=dt.date(2023, 1, 1))
        for i, p in enumerate(people)
        for k in range(2)
    ]
    counts["memberships"] = len(_bulk(Membership, memberships))
    kits = _bulk(Kit, [Kit(municipality=municipality, label=f"Kit {i}", kind="tablet") for i in range(1000)])
    devices = _bulk(
        Device, [Device(municipality=municipality, device_type="tablet", kit=k, serial_number=f"S{k.pk}") for k in kits]
    )
    loans = _bulk(
        Loan,
        [
            Loan(
                kit=kits[i % len(kits)],
                person=p,
                rule_set=rule_set,
                status="returned",
                checked_out_at=now,
                checked_out_by=staff[i % len(staff)],
                returned_at=now,
                returned_to=staff[(i + 1) % len(staff)],
                handover={"email": p.email},
            )
            for i, p in enumerate(people)
        ],
    )
    counts["loans"] = len(loans)
    counts["receipts"] = len(
        _bulk(
            Receipt,
            [Receipt(loan=loan, kind="checkout", pdf=f"receipts/{loan.pk}.pdf", sha256="0" * 64) for loan in loans],
        )
    )
    counts["incidents"] = len(
        _bulk(
            Incident,
            [
                Incident(
                    loan=loan, device=devices[i % len(devices)], kind="lost", occurred_at=now, reported_by=staff[0]
                )
                for i, loan in enumerate(loans[: len(loans) // 10])
            ],
        )
    )
    counts["broadband_requests"] = len(
        _bulk(BroadbandRequest, [BroadbandRequest(loan=loan, reason="x") for loan in loans[: len(loans) // 10]])
    )
    counts["reminders"] = len(
        _bulk(
            Reminder,
            [
                Reminder(loan=loan, due_date=dt.date(2025, 1, 1), step="due", sent_to=["x@bench.example"])
                for loan in loans[: len(loans) // 2]
            ],
        )
    )
    entries = []
    for i, p in enumerate(people):
        for _ in range(3):
            entries.append(("officials.person", str(p.pk), str(p), None))
        entries.append(("loans.loan", str(loans[i].pk), "loan", None))
    target = 1_000_000 * persons // 100_000 - sum(v for k, v in counts.items() if k not in ("persons", "users"))
    while len(entries) < target:
        user = users[len(entries) % len(users)]
        entries.append(("core.governingdocument", str(document.pk), "document", user))
    audit = [
        AuditEntry(
            created_at=now,
            actor=actor,
            actor_label=actor.username if actor else "system",
            organisation=municipality,
            action="update",
            object_type=object_type,
            object_id=object_id,
            object_label=label[:300],
            changes={},
            previous_hash=f"{n:064x}",
            entry_hash=f"{n + 1:064x}",
        )
        for n, (object_type, object_id, label, actor) in enumerate(entries[:target])
    ]
    counts["audit_entries"] = len(_bulk(AuditEntry, audit))
    register = Register.objects.create(controller=organs[1], title="Register")
    labels = [
        "officials.person",
        "officials.membership",
        "auth.user",
        "loans.loan",
        "loans.receipt",
        "loans.incident",
        "loans.broadbandrequest",
        "loans.reminder",
        "core.auditentry",
    ]
    for n, label in enumerate(labels):
        activity = ProcessingActivity.objects.create(
            register=register,
            name=f"Activity {n}",
            purposes=["Ändamål"],
            retention_text="Gallras",
            system_models=[label],
        )
        LegalBasis.objects.create(activity=activity, article="6.1.e", reference="KL")
    return {"municipality": municipality, "dpo": dpo, "counts": counts}


def existing(persons: int) -> dict[str, Any] | None:
    """The world of a kept database (`--keep`), if it was built for as many persons."""
    from django.contrib.auth.models import User

    from insyn.core.models import Organisation
    from insyn.officials.models import Person

    municipality = Organisation.objects.filter(name="Benchkommun", parent__isnull=True).first()
    if municipality is None or Person.objects.filter(municipality=municipality).count() != persons:
        return None
    return {"municipality": municipality, "dpo": User.objects.get(username="dpo.bench"), "counts": {"kept": 1}}


def analyze() -> None:
    """Planner statistics, as a production database has them (autovacuum; SQLite's `PRAGMA optimize`)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def explain(world: dict[str, Any], persons: int) -> None:
    """Every statement of one search of each kind with its time and, on PostgreSQL, `EXPLAIN ANALYZE`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from insyn.privacy.subject_search import subject_search

    person = random.Random(11).randrange(persons)
    for name, query in _kinds().items():
        with CaptureQueriesContext(connection) as captured:
            subject_search(actor=world["dpo"], municipality_id=world["municipality"].pk, query=query(person))
        print(f"== {name}: {len(captured.captured_queries)} statements", flush=True)
        for item in captured.captured_queries:
            sql = item["sql"]
            print(f"-- {float(item['time']) * 1000:.1f} ms: {sql[:600]}")
            if connection.vendor != "postgresql" or not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                print("\n".join("     " + row[0] for row in cursor.fetchall()))


def _kinds() -> dict[str, Callable[[int], Any]]:
    from insyn.privacy.subject_search import SubjectQuery

    return {
        "national_id": lambda i: SubjectQuery(national_id=personnummer(i)),
        "email": lambda i: SubjectQuery(emails=(f"PERSON{i}@bench.example",)),
        "name": lambda i: SubjectQuery(names=(f"förnamn{i % 5000}  EFTERNAMN{i}",)),
        "email+name": lambda i: SubjectQuery(
            emails=(f"PERSON{i}@bench.example",), names=(f"förnamn{i % 5000} efternamn{i}",)
        ),
    }


def _head_search() -> Callable[..., Any]:
    """The search as committed (`git show HEAD:…`), to compare with the working tree in the same process."""
    import types

    path = "insyn/privacy/selectors/subject.py"
    source = subprocess.run(  # noqa: S603
        ["git", "show", f"HEAD:{path}"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = types.ModuleType("insyn_bench_head_subject")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, f"HEAD:{path}", "exec"), module.__dict__)  # noqa: S102
    return module.search  # type: ignore[no-any-return]


def compare_head(world: dict[str, Any], persons: int, queries: int) -> None:
    """HEAD's selector against the working tree's, interleaved per query (the order alternating), so that the
    machine's load weighs on both alike; the audit write, the same in both, is left out."""
    from insyn.privacy.selectors.subject import search

    versions: dict[str, Callable[..., Any]] = {"HEAD": _head_search(), "now": search}
    rng = random.Random(7)
    sample = [rng.randrange(persons) for _ in range(queries)]
    for name, make in _kinds().items():
        times: dict[str, list[float]] = {key: [] for key in versions}
        for n, i in enumerate(sample):
            order = list(versions) if n % 2 == 0 else list(reversed(versions))
            for key in order:
                start = time.perf_counter()
                versions[key](actor=world["dpo"], municipality_id=world["municipality"].pk, query=make(i))
                times[key].append((time.perf_counter() - start) * 1000)
        figures = {
            key: (round(statistics.median(v), 1), round(percentile(v, 95), 1), round(percentile(v, 99), 1))
            for key, v in times.items()
        }
        ratio = statistics.median(times["HEAD"]) / statistics.median(times["now"])
        print(f"  compare {name:12} p50/p95/p99 ms {figures}  HEAD/now p50 ratio {ratio:.2f}", flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(world: dict[str, Any], persons: int, queries: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from insyn.privacy.subject_search import subject_search

    rng = random.Random(7)
    sample = [rng.randrange(persons) for _ in range(queries)]
    kinds = _kinds()
    municipality_id = world["municipality"].pk
    # Warm-up: connections, caches of the registry walk.
    subject_search(actor=world["dpo"], municipality_id=municipality_id, query=kinds["national_id"](0))
    results = {}
    for name, make in kinds.items():
        times, hits, statements = [], [], []
        for i in sample:
            query = make(i)
            connection.queries_log.clear()  # the log keeps 9,000 statements: the count would stop at its end
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                result = subject_search(actor=world["dpo"], municipality_id=municipality_id, query=query)
                times.append((time.perf_counter() - start) * 1000)
            hits.append(len(result.hits))
            statements.append(len(captured.captured_queries))
        results[name] = {
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(percentile(times, 95), 1),
            "p99_ms": round(percentile(times, 99), 1),
            "max_ms": round(max(times), 1),
            "hits": round(statistics.mean(hits), 1),
            "statements": round(statistics.mean(statements), 1),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--keep", action="store_true", help="keep the database for the next run and reuse it")
    parser.add_argument("--explain", action="store_true", help="print each statement of one search (EXPLAIN on PG)")
    parser.add_argument("--compare-head", action="store_true", help="the committed selector against this one")
    args = parser.parse_args()
    with throwaway_database(args.database, keep=args.keep) as version:
        start = time.perf_counter()
        world = existing(args.persons) if args.keep else None
        if world is None:
            world = build(args.persons)
        analyze()
        built = time.perf_counter() - start
        print(
            f"{version}: built {sum(v for k, v in world['counts'].items() if k != 'persons'):,} rows "
            f"and {args.persons:,} persons in {built:.0f} s: {world['counts']}",
            flush=True,
        )
        if args.explain:
            explain(world, args.persons)
        if args.compare_head:
            compare_head(world, args.persons, args.queries)
            return
        for name, figures in measure(world, args.persons, args.queries).items():
            print(f"  {name:12} {figures}", flush=True)


if __name__ == "__main__":
    main()
