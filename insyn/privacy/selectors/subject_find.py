"""Finding the rows of one person in one municipality (the subject search's database work), driven by the
personal-data registry (`insyn.core.personal_data`).

1. The subject roots (officials.person, auth.user, privacy.subjectrequest) are matched by national id, e-mail,
   names and addresses, then joined through `same_person` (an official's login).
2. Every other registered model is reached by its subject paths (`loan__person`, `actor`, `owner` …), and the
   small tables that register names typed as text (`TEXT`) are matched against the query's terms: all of it
   in ONE statement (`UNION ALL` of the label and key of each row found), so a search costs one round trip
   here however many models and paths the registry names.
3. The rows found are fetched once per model that has any (with the relations their labels and fields name),
   then rows about found rows (`GENERIC_OBJECT`: audit entries by object_type/object_id) in one statement.

Every lookup is an indexed equality: `national_id`, `lower(email)`, `lower(family_name), lower(given_name)`
(officials 0002/0003, core 0005 for logins), foreign keys, the audit entry's object_type + object_id. One
statement per subject path, not an OR across joined tables, which would keep the database from using either
index. Free-text matching runs only on the small tables that register it as TEXT.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Cast, Lower

from insyn.core import personal_data as pd
from insyn.core.models import Organisation, RoleAssignment

# Per model: more rows than this for one person is a sign of a too-wide query (a common name); the extract
# says the list was cut.
MAX_HITS_PER_MODEL = 500
MAX_NAME_WORDS = 8  # a longer "name" is not split into every given/family pair (bounded statement size)
USER = settings.AUTH_USER_MODEL.lower()


@dataclass(frozen=True)
class NormalisedQuery:
    national_ids: tuple[str, ...]  # every stored spelling: YYYYMMDD-XXXX, YYYYMMDDXXXX, YYMMDD-XXXX, YYMMDDXXXX
    emails: tuple[str, ...]
    names: tuple[str, ...]  # lower case, single spaces
    addresses: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not (self.national_ids or self.emails or self.names or self.addresses)


def normalise_name(value: str) -> str:
    # lower(), not casefold(): the database's lower() is what the stored side goes through ("ß" stays "ß").
    return " ".join(value.split()).lower()


def _ascii_lower(value: str) -> str:
    return "".join(char.lower() if char.isascii() else char for char in value)


def sql_lower_variants(term: str) -> list[str]:
    """What lower(column) gives for the usual spellings of a lower-case term. PostgreSQL lowers every letter;
    SQLite's built-in lower() only ASCII ones, so "Åsa Öberg" stays "Åsa Öberg" there: the capitalised and
    upper-case spellings are compared too."""
    variants = [term]
    if not term.isascii():
        variants += [_ascii_lower(term.title()), _ascii_lower(term.upper())]
    return list(dict.fromkeys(variants))


# --- Scoping by municipality --------------------------------------------------------------------


@cache
def _municipality_lookups(label: str) -> tuple[tuple[str, bool], ...]:
    """Lookups from the model to an organisation: ("municipality", False), ("organisation", True) … with
    whether a NULL there still belongs (an audit entry without an organisation: a login)."""
    model = apps.get_model(label)
    found: list[tuple[str, bool]] = []

    def walk(current: type[models.Model], prefix: str, depth: int) -> None:
        for field in current._meta.concrete_fields:
            if not field.is_relation or field.related_model is None:
                continue
            if field.related_model is Organisation:
                found.append((f"{prefix}{field.name}", depth == 0 and bool(field.null)))
        if found or depth >= 2:
            return
        for field in current._meta.concrete_fields:
            if field.many_to_one and field.related_model not in (None, Organisation, current):
                related: Any = field.related_model
                if isinstance(related, str) or related._meta.label_lower == USER:
                    continue
                if related._meta.app_label not in pd.OWN_APPS:
                    continue
                walk(related, f"{prefix}{field.name}__", depth + 1)
                if found:
                    return

    walk(model, "", 0)
    return tuple(found[:1])


def municipality_q(label: str, municipality_id: int) -> Q | None:
    """A Q keeping the model's rows of the municipality, None when the model has no organisation (reached
    only through a root that is scoped already)."""
    lookups = _municipality_lookups(label)
    if not lookups:
        return None
    lookup, nullable = lookups[0]
    # A municipality is its own municipality (core's organisation services), so one lookup serves every level.
    q = Q(**{f"{lookup}__municipality_id": municipality_id})
    if nullable:
        q |= Q(**{f"{lookup}__isnull": True})
    return q


def scoped(model: type[models.Model], municipality_id: int) -> models.QuerySet[Any]:
    q = municipality_q(model._meta.label_lower, municipality_id)
    qs = model._default_manager.all()
    return qs.filter(q) if q is not None else qs


@cache
def _related_to_load(label: str) -> tuple[str, ...]:
    """Relations to join when fetching hits: the required ones (a hit's label, `str()`, mostly names them: a
    loan's kit and person) and the personal-data ones (shown as the hit's fields: an audit entry's actor)."""
    model = apps.get_model(label)
    personal = {f.field_name for f in pd.fields_of(model)}
    return tuple(
        f.name
        for f in model._meta.concrete_fields
        if f.many_to_one and f.related_model is not None and (not f.null or f.name in personal)
    )


# --- What was found -----------------------------------------------------------------------------


class Found:
    """Rows found so far, per model label, in the order found, with how each was reached."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[Any, tuple[models.Model, str]]] = {}
        self.truncated = False

    def add(self, label: str, rows: list[tuple[models.Model, str]]) -> None:
        if len(rows) > MAX_HITS_PER_MODEL:
            rows = rows[:MAX_HITS_PER_MODEL]
            self.truncated = True
        bucket = self.rows.setdefault(label, {})
        for row, how in rows:
            if row.pk not in bucket:
                bucket[row.pk] = (row, how)

    def ids(self, label: str) -> list[Any]:
        return list(self.rows.get(label, {}))


def _limited(qs: models.QuerySet[Any]) -> list[models.Model]:
    return list(qs[: MAX_HITS_PER_MODEL + 1])


# --- Roots --------------------------------------------------------------------------------------


def _root_q(
    model: type[models.Model], root: pd.SubjectRoot, query: NormalisedQuery
) -> tuple[models.QuerySet[Any], Q | None]:
    qs = model._default_manager.all()
    parts: list[Q] = []
    if query.national_ids:
        parts += [Q(**{f"{name}__in": query.national_ids}) for name in root.national_id_fields]
    if query.emails:
        for name in root.email_fields:
            qs = qs.alias(**{f"_lower_{name}": Lower(name)})
            parts.append(Q(**{f"_lower_{name}__in": query.emails}))
    if query.names and len(root.name_fields) == 1:
        name = root.name_fields[0]
        qs = qs.alias(**{f"_lower_{name}": Lower(name)})
        parts.append(Q(**{f"_lower_{name}__in": [v for n in query.names for v in sql_lower_variants(n)]}))
    elif query.names and root.name_fields:
        given, family = root.name_fields[0], root.name_fields[-1]
        qs = qs.alias(_lower_given=Lower(given), _lower_family=Lower(family))
        for name in query.names:
            for variant in sql_lower_variants(name):
                words = variant.split(" ")[:MAX_NAME_WORDS]
                # Every split of "Anna Maria Lindberg Ek" into given and family names.
                for cut in range(1, len(words)):
                    parts.append(Q(_lower_family=" ".join(words[cut:]), _lower_given=" ".join(words[:cut])))
    for name in root.address_fields:
        for address in query.addresses:
            parts.append(Q(**{f"{name}__iexact": address}) | Q(**{f"{name}__iexact": address.replace(", ", "\n")}))
    if not parts:
        return qs, None
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return qs, combined


def _belongs_here_q(municipality_id: int) -> Q:
    """Logins of the municipality: a role in it, or an official of it. Correlated EXISTS: checked for the few
    logins the indexed match found, not by building the set of every login of the municipality."""
    from insyn.officials.models import Person

    roles = RoleAssignment.objects.filter(user_id=OuterRef("pk"), organisation__municipality_id=municipality_id)
    officials = Person.objects.filter(user_id=OuterRef("pk"), municipality_id=municipality_id)
    return Q(Exists(roles)) | Q(Exists(officials))


def _matched_by(root: pd.SubjectRoot, instance: models.Model, query: NormalisedQuery) -> str:
    if any(getattr(instance, name, "") in query.national_ids for name in root.national_id_fields):
        return "national_id"
    if any((getattr(instance, name, "") or "").lower() in query.emails for name in root.email_fields):
        return "email"
    if root.name_fields:
        full = normalise_name(" ".join(str(getattr(instance, name, "") or "") for name in root.name_fields))
        if full in query.names:
            return "name"
    return "address"


def _root_scope(label: str, qs: models.QuerySet[Any], municipality_id: int) -> models.QuerySet[Any]:
    if label == USER:
        # The match first, on its own: with the EXISTS beside it, SQLite scans every login instead of using
        # the lower(email) and name indexes (core 0005). Then the few matches are checked for belonging here.
        ids = list(qs.order_by().values_list("pk", flat=True)[: MAX_HITS_PER_MODEL + 1])
        matched: models.QuerySet[Any] = qs.model._default_manager.filter(pk__in=ids)
        return matched.filter(_belongs_here_q(municipality_id))
    scope = municipality_q(label, municipality_id)
    return qs.filter(scope) if scope is not None else qs


def _find_roots(found: Found, query: NormalisedQuery, municipality_id: int) -> None:
    roots = pd.subject_roots()
    for root in roots:
        model = apps.get_model(root.model_label)
        qs, combined = _root_q(model, root, query)
        if combined is None:
            continue
        qs = _root_scope(root.model_label, qs.filter(combined), municipality_id)
        rows = _limited(qs.select_related(*_related_to_load(root.model_label)))
        found.add(root.model_label, [(row, _matched_by(root, row, query)) for row in rows])
    # The same person on another root: an official's login, and the official of a login found by e-mail.
    for root in roots:
        model = apps.get_model(root.model_label)
        for path in root.same_person:
            target = pd.resolve_subject_path(model, path)
            if target is None:
                continue
            target_model = apps.get_model(target)
            linked = _linked_ids(model, path, found.rows.get(root.model_label, {}))
            missing = [pk for pk in linked if pk not in found.rows.get(target, {})]
            if missing:
                qs = target_model._default_manager.filter(pk__in=missing).select_related(*_related_to_load(target))
                found.add(target, [(row, "link") for row in _limited(qs)])
            # Back: rows of this root for targets found on their own (a login found by e-mail).
            back = [pk for pk in found.ids(target) if pk not in set(linked)]
            if back:
                qs = scoped(model, municipality_id).filter(**{f"{path}__in": back})
                qs = qs.select_related(*_related_to_load(root.model_label))
                found.add(root.model_label, [(row, "link") for row in _limited(qs)])


def _linked_ids(model: type[models.Model], path: str, rows: dict[Any, tuple[models.Model, str]]) -> list[Any]:
    if not rows:
        return []
    field = model._meta.get_field(path) if "__" not in path else None
    if field is not None and field.many_to_one:
        # A direct foreign key: the loaded rows have it already.
        values: Iterable[Any] = (getattr(row, field.attname) for row, _how in rows.values())  # type: ignore[union-attr]
    else:
        values = model._default_manager.filter(pk__in=list(rows)).values_list(path, flat=True)
    return list(dict.fromkeys(v for v in values if v))


# --- Paths and text, in one statement -----------------------------------------------------------


def _is_ip(value: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _text_q(model: type[models.Model], names: list[str], terms: list[str]) -> tuple[dict[str, Any], Q]:
    aliases: dict[str, Any] = {}
    q = Q(pk__in=[])
    for name in names:
        field = model._meta.get_field(name)
        if isinstance(field, (models.TextField, models.JSONField)):
            for term in terms:
                if len(term) >= 5:  # a short term would match inside unrelated prose
                    q |= Q(**{f"{name}__icontains": term})
        elif isinstance(field, models.GenericIPAddressField):
            addresses = [t for t in terms if _is_ip(t)]  # a name is no address: the database would refuse it
            if addresses:
                q |= Q(**{f"{name}__in": addresses})
        else:
            aliases[f"_lower_{name}"] = Lower(name)
            q |= Q(**{f"_lower_{name}__in": [v for t in terms for v in sql_lower_variants(t)]})
    return aliases, q


def _candidates(
    found: Found, query: NormalisedQuery, municipality_id: int
) -> list[tuple[str, models.QuerySet[Any], str]]:
    """(label, queryset of the matching rows, how) for every subject path with found ends and every model
    with TEXT fields; each is one SELECT of the row's key."""
    roots = {root.model_label for root in pd.subject_roots()}
    parts: list[tuple[str, models.QuerySet[Any], str]] = []
    for label in pd.registered_models():
        if label in roots:
            continue
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        for path in pd.subject_paths(label):
            if path in pd.SPECIAL_SUBJECTS or not path:
                continue
            end = pd.resolve_subject_path(model, path)
            ids = found.ids(end) if end else []
            if ids:
                parts.append((label, scoped(model, municipality_id).filter(**{f"{path}__in": ids}), "link"))
    user_model = apps.get_model(USER)
    usernames = [
        str(getattr(row, user_model.USERNAME_FIELD, "")).lower() for row, _how in found.rows.get(USER, {}).values()
    ]
    terms = sorted({*query.emails, *query.names, *usernames} - {""})
    if terms:
        by_model: dict[str, list[str]] = {}
        for entry in pd.all_fields():
            if entry.subject == pd.TEXT:
                by_model.setdefault(entry.model_label, []).append(entry.field_name)
        for label, names in by_model.items():
            try:
                model = apps.get_model(label)
            except LookupError:
                continue
            aliases, q = _text_q(model, names, terms)
            parts.append((label, scoped(model, municipality_id).alias(**aliases).filter(q), "text"))
    return parts


def _keys_sql(number: int, qs: models.QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    # The key as text: the tables' keys differ in type (integer, UUID), and UNION ALL wants one type.
    keys = qs.order_by().annotate(_key=Cast("pk", models.TextField())).values_list("_key")
    sql, params = keys[: MAX_HITS_PER_MODEL + 1].query.get_compiler(using=qs.db).as_sql()
    # Only an integer and the ORM's own compiled SQL go into the text; every value stays a parameter.
    return f"SELECT {int(number)} AS part, _key FROM ({sql}) AS k{int(number)}", tuple(params)  # noqa: S608


def _find_by_paths_and_text(found: Found, query: NormalisedQuery, municipality_id: int) -> None:
    parts = _candidates(found, query, municipality_id)
    if not parts:
        return
    pieces = []
    for number, (_label, qs, _how) in enumerate(parts):
        try:
            pieces.append(_keys_sql(number, qs))
        except EmptyResultSet:  # nothing to compare (no term long enough for a free text): no statement
            continue
    if not pieces:
        return
    sql = " UNION ALL ".join(piece for piece, _params in pieces)
    with connection.cursor() as cursor:
        cursor.execute(sql, [p for _piece, params in pieces for p in params])
        rows = cursor.fetchall()
    keys: dict[str, dict[Any, str]] = {}
    for number, key in rows:
        label, _qs, how = parts[number]
        model = apps.get_model(label)
        keys.setdefault(label, {}).setdefault(model._meta.pk.to_python(key), how)
    for label, wanted in keys.items():
        model = apps.get_model(label)
        fetched = model._default_manager.filter(pk__in=list(wanted)).select_related(*_related_to_load(label))
        found.add(label, [(row, wanted[row.pk]) for row in _limited(fetched.order_by("pk"))])
        if len(wanted) > MAX_HITS_PER_MODEL:
            found.truncated = True


def _find_about_found(found: Found, municipality_id: int) -> None:
    """Rows that describe a found row by (object_type, object_id): the audit trail of the person's rows."""
    labels = sorted({f.model_label for f in pd.all_fields() if f.subject == pd.GENERIC_OBJECT})
    about = {label: [str(pk) for pk in pks] for label, pks in found.rows.items() if pks}
    for label in labels:
        model = apps.get_model(label)
        q = Q(pk__in=[])
        for object_type, ids in about.items():
            if object_type != label:
                q |= Q(object_type=object_type, object_id__in=ids)
        qs = scoped(model, municipality_id).filter(q).select_related(*_related_to_load(label)).order_by("pk")
        found.add(label, [(row, "link") for row in _limited(qs)])


def find(query: NormalisedQuery, municipality_id: int) -> Found:
    found = Found()
    if not query.empty:
        _find_roots(found, query, municipality_id)
        _find_by_paths_and_text(found, query, municipality_id)
        _find_about_found(found, municipality_id)
    return found
