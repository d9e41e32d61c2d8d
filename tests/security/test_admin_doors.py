"""Every door of the admin, enumerated from the URL resolver, tried with another municipality's ids.

The admin is Wagtail's, and Wagtail registers views that Insyn did not write. A view that reads
around Insyn's selectors is a way into another municipality, so every admin URL must resolve to an
Insyn view or to a Wagtail view on the reviewed list below, and every role of Torsby is walked over
every admin URL with every kind of Piteå's ids, by GET and by POST: nothing of Piteå's may show, and
nothing may change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.models import APIToken

from insyn.core.models import AuditEntry, GoverningDocument, Organisation, RoleAssignment
from insyn.core.permissions import forget_scope
from insyn.core.roles import ROLES
from insyn.loans.models import BroadbandRequest, Device, Incident, Kit, Loan, Receipt
from insyn.officials.models import Membership, Person
from insyn.privacy.models import Breach, Notice, ProcessingActivity, Register, SubjectRequest, TaxonomyTerm
from insyn.records.models import DocumentType, RetentionPattern, RetentionPlan
from tests.security.tenants import MARKER, Tenant, build_tenant, fingerprint, make_superuser, role_group

pytestmark = pytest.mark.django_db

# Wagtail's own views, reviewed for a municipality's users: each is refused by a permission no
# Insyn role holds, or shows nothing that belongs to a municipality. A new Wagtail view fails the
# enumeration test until someone reviews it and adds it here with the reason.
_NEEDS_WAGTAIL_PERMISSION = "needs a Wagtail permission that no Insyn role holds (superusers only)"
REVIEWED_WAGTAIL_VIEWS: dict[str, str] = {
    "django.views.generic.base.TemplateView": "admin/test404: Wagtail's 404 page",
    "wagtail.admin.api.views.PagesAdminAPIViewSet": "pages are filtered by Wagtail's page permissions",
    "wagtail.admin.views.account.AccountView": "the user's own account",
    "wagtail.admin.views.account.LoginView": "login",
    "wagtail.admin.views.account.LogoutView": "logout",
    "wagtail.admin.views.account.PasswordResetCompleteView": "password reset",
    "wagtail.admin.views.account.PasswordResetConfirmView": "password reset",
    "wagtail.admin.views.account.PasswordResetDoneView": "password reset",
    "wagtail.admin.views.account.PasswordResetView": "password reset",
    "wagtail.admin.views.bulk_action.dispatcher.index": "bulk actions exist only for pages, images, documents, users",
    "wagtail.admin.views.chooser.AnchorLinkView": "link chooser form, no data",
    "wagtail.admin.views.chooser.BrowseView": "page chooser, page permissions",
    "wagtail.admin.views.chooser.ChosenMultipleView": "page chooser, page permissions",
    "wagtail.admin.views.chooser.EmailLinkView": "link chooser form, no data",
    "wagtail.admin.views.chooser.ExternalLinkView": "link chooser form, no data",
    "wagtail.admin.views.chooser.PhoneLinkView": "link chooser form, no data",
    "wagtail.admin.views.chooser.SearchView": "page chooser, page permissions",
    "wagtail.admin.views.collection_privacy.set_privacy": _NEEDS_WAGTAIL_PERMISSION,
    "wagtail.admin.views.collections.Create": _NEEDS_WAGTAIL_PERMISSION,
    "wagtail.admin.views.collections.Delete": _NEEDS_WAGTAIL_PERMISSION,
    "wagtail.admin.views.collections.Edit": _NEEDS_WAGTAIL_PERMISSION,
    "wagtail.admin.views.collections.Index": _NEEDS_WAGTAIL_PERMISSION,
    "wagtail.admin.views.dismissibles.DismissiblesView": "the user's own dismissed hints",
    "wagtail.admin.views.editing_sessions.ping": "asks the model's registered policy, Insyn's scoped one",
    "wagtail.admin.views.editing_sessions.release": "the user's own editing session",
    "wagtail.admin.views.generic.history.HistoryView": "sites, groups: " + _NEEDS_WAGTAIL_PERMISSION,
    "wagtail.admin.views.generic.models.CopyView": "sites, users: " + _NEEDS_WAGTAIL_PERMISSION,
    "wagtail.admin.views.generic.preview.StreamFieldBlockPreview": "renders a block from the request, no data",
    "wagtail.admin.views.generic.usage.UsageView": "sites, groups, users: " + _NEEDS_WAGTAIL_PERMISSION,
    "wagtail.admin.views.home.HomeView": "dashboard; its panels read through Insyn selectors",
    "wagtail.admin.views.home.default": "catch-all 404",
    "wagtail.admin.views.home.sprite": "icons",
    "wagtail.admin.views.i18n.localized_js_catalog": "translations",
    "wagtail.admin.views.pages.revisions.revisions_index": "page permissions",
    "wagtail.admin.views.reports.aging_pages.AgingPagesView": "page permissions",
    "wagtail.admin.views.reports.locked_pages.LockedPagesView": "page permissions",
    "wagtail.admin.views.reports.page_types_usage.PageTypesUsageReportView": "page types, no municipality data",
    "wagtail.admin.views.reports.workflows.WorkflowTasksView": "page permissions",
    "wagtail.admin.views.reports.workflows.WorkflowView": "page permissions",
    "wagtail.admin.views.tags.autocomplete": "tags; Insyn models have none",
    "wagtail.admin.viewsets.pages.PageViewSetRegistry.as_view.<locals>.view_router": "page permissions",
    "wagtail.contrib.forms.views.DeleteSubmissionsView": "page permissions",
    "wagtail.contrib.forms.views.FormPagesListView": "page permissions",
    "wagtail.contrib.forms.views.get_submissions_list_view": "page permissions",
    "wagtail.contrib.settings.views.EditView": "no settings models are registered",
    "wagtail.contrib.settings.views.PreviewOnEdit": "no settings models are registered",
    "wagtail.contrib.settings.views.redirect_to_relevant_instance": "no settings models are registered",
    "wagtail.documents.api.admin.views.DocumentsAdminAPIViewSet": "Wagtail documents: collection permissions",
    "wagtail.embeds.views.chooser.chooser": "embed chooser: known oEmbed providers only",
    "wagtail.embeds.views.chooser.chooser_upload": "embed chooser: known oEmbed providers only",
    "wagtail.images.api.admin.views.ImagesAdminAPIViewSet": "Wagtail images: collection permissions",
    "wagtail.images.views.images.preview": "Wagtail images: collection permissions",
    "wagtail.snippets.views.snippets.ModelIndexView": "lists snippet models the user may use; Insyn has none",
}
for _prefix in (
    "wagtail.admin.views.workflows.",
    "wagtail.contrib.redirects.views.",
    "wagtail.documents.views.",
    "wagtail.images.views.",
    "wagtail.sites.views.",
    "wagtail.users.views.users.",
    "wagtail.users.views.groups.",
):
    REVIEWED_WAGTAIL_VIEWS[_prefix] = _NEEDS_WAGTAIL_PERMISSION
REVIEWED_WAGTAIL_VIEWS["wagtail.users.views.api_tokens."] = "own tokens only: Wagtail asks auth.change_user for others"

# Function views of Insyn's own that take an id: the model behind the id.
CUSTOM_ID_MODELS = {
    "records/plan/": RetentionPlan,
    "officials/person/": Person,
    "loans/loan/": Loan,
    "loans/incident/": Incident,
    "loans/receipt/": Receipt,
    "privacy/register/": Register,
    "privacy/activity/": ProcessingActivity,
    "privacy/breaches/": Breach,
    "privacy/notices/": Notice,
    "privacy/requests/": SubjectRequest,
}
VIEWSET_MODELS = {
    "governing_documents/": GoverningDocument,
    "organisations/": Organisation,
    "role_assignments/": RoleAssignment,
    "audit_trail/": AuditEntry,
    "records/plans/": RetentionPlan,
    "records/document-types/": DocumentType,
    "records/retention-patterns/": RetentionPattern,
    "officials/persons/": Person,
    "officials/memberships/": Membership,
    "loans/loans/": Loan,
    "loans/kits/": Kit,
    "loans/devices/": Device,
    "loans/incidents/": Incident,
    "privacy/registers/": Register,  # the viewset, and the export route of one register
    "privacy/activities/": ProcessingActivity,
    "privacy/taxonomy/": TaxonomyTerm,
}
INSYN_APPS = {"core", "records", "officials", "loans", "privacy"}
# Values of routes' other converters that reach a real view: the steps of a breach, the versions of a notice
# (1 is published, 2 a draft: see tests/security/privacy_tenant.py), a notice's languages.
CONVERTER_VALUES = {
    "<slug:step>": ("describe", "assess", "authority", "subjects"),
    "<int:number>": ("1", "2"),
    "<str:lang>": ("sv",),
}


def _view_name(pattern: URLPattern) -> str:
    callback = pattern.callback
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return f"{view_class.__module__}.{view_class.__qualname__}"
    func = getattr(callback, "func", callback)
    return f"{func.__module__}.{func.__qualname__}"


def admin_patterns() -> Iterator[tuple[str, URLPattern]]:
    def walk(resolver: URLResolver, prefix: str) -> Iterator[tuple[str, URLPattern]]:
        for item in resolver.url_patterns:
            if isinstance(item, URLResolver):
                yield from walk(item, prefix + str(item.pattern))
            else:
                yield prefix + str(item.pattern), item

    seen: set[str] = set()
    for route, pattern in walk(get_resolver(), ""):
        # Resolution takes the first match: a later pattern with the same route is shadowed (config/urls.py
        # puts Insyn's guarded versions of some Wagtail views in front), so only the first one is a door.
        if route.startswith("admin/") and route not in seen:
            seen.add(route)
            yield route, pattern


def test_every_admin_url_is_an_insyn_view_or_a_reviewed_wagtail_view() -> None:
    unreviewed = []
    count = 0
    for route, pattern in admin_patterns():
        count += 1
        name = _view_name(pattern)
        if name.startswith("insyn."):
            continue
        if not any(name == key or (key.endswith(".") and name.startswith(key)) for key in REVIEWED_WAGTAIL_VIEWS):
            unreviewed.append(f"{route} → {name}")
    assert count > 200, "the resolver walk found too few admin URLs to be the whole admin"
    assert not unreviewed, "admin URLs served by views nobody reviewed:\n" + "\n".join(unreviewed)


def test_no_insyn_model_url_is_served_by_a_generic_wagtail_view() -> None:
    generic = []
    for route, pattern in admin_patterns():
        rel = route.removeprefix("admin/")
        name = _view_name(pattern)
        # A viewset passes its model to each view it builds: a Wagtail view built for an Insyn model is a
        # back door whatever its URL (a viewset added later and not on the list above included).
        model = getattr(pattern.callback, "view_initkwargs", {}).get("model")
        label = model if isinstance(model, str) else (model._meta.label if model is not None else "")
        insyn_model = label.split(".")[0] in INSYN_APPS
        if (insyn_model or any(rel.startswith(prefix) for prefix in VIEWSET_MODELS)) and not name.startswith("insyn."):
            generic.append(f"{route} → {name}")
    assert not generic, "Insyn models served by Wagtail's generic views:\n" + "\n".join(generic)


# --- The walk ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def _built_tenants(django_db_setup: Any, django_db_blocker: Any) -> Iterator[tuple[Tenant, Tenant]]:
    # Built once for the module inside a transaction that is rolled back at its end; each test runs in a
    # savepoint of its own within it, so what one test changes the next does not see.
    with django_db_blocker.unblock(), transaction.atomic():
        pitea = build_tenant("Piteå kommun")
        torsby = build_tenant("Torsby kommun")
        for tenant in (pitea, torsby):
            owner = tenant.users["administrator"]
            APIToken.create_token(user=owner, name=f"Token {tenant.municipality.name}")
        pitea.objects[APIToken] = list(APIToken.objects.filter(user__in=pitea.objects[get_user_model()]))
        yield pitea, torsby
        transaction.set_rollback(True)


@pytest.fixture
def tenants(_built_tenants: tuple[Tenant, Tenant], db: Any) -> tuple[Tenant, Tenant]:
    for tenant in _built_tenants:
        for user in tenant.objects[get_user_model()]:
            forget_scope(user)
    return _built_tenants


def _ids_for(route: str, foreign: Tenant) -> list[int]:
    rel = route.removeprefix("admin/")
    for prefix, model in {**VIEWSET_MODELS, **CUSTOM_ID_MODELS}.items():
        if rel.startswith(prefix):
            # Two of each kind (an adopted and a draft plan, say): the views do not differ by which row.
            return [obj.pk for obj in foreign.objects[model][:2]]
    if rel.startswith("editing-sessions/"):  # filled in as core/governingdocument
        return [obj.pk for obj in foreign.objects[GoverningDocument][:1]]
    if rel.startswith("api-tokens/"):
        return [obj.pk for obj in foreign.objects[APIToken][:1]]
    if rel.startswith("users/"):
        return [obj.pk for obj in foreign.objects[get_user_model()][:1]]
    # Wagtail's own id routes (pages, collections, sites …): ids of Piteå's things that no role may reach.
    return [foreign.objects[get_user_model()][0].pk, foreign.municipality.pk]


def _fill(route: str, ids: list[int]) -> Iterator[str]:
    """Concrete paths for a route: every int converter gets each foreign id, other converters a plausible value."""
    path = "/" + route
    path = re.sub(r"\^|\$", "", path)
    path = path.replace("(?P<pk>\\d+)", "<int:pk>")
    path = re.sub(r"\(\?P<revision_id_a>[^)]*\)\\.\\.\\.\(\?P<revision_id_b>[^)]*\)", "earliest...latest", path)
    path = re.sub(r"<(str|slug):(app_label|content_type_app_name|app_name)>", "core", path)
    path = re.sub(r"<(str|slug):(model_name|content_type_model_name)>", "governingdocument", path)
    path = re.sub(r"<str:fmt>", "json" if "privacy/" in path else "csv", path)  # a format the view exports
    for converter, values in CONVERTER_VALUES.items():
        if converter in path:
            for value in values:
                yield from _fill(route.replace(converter, value), ids)
            return
    path = re.sub(r"<str:(object_id|pk)>", "<int:pk>", path)  # ids given as text are still ids
    path = re.sub(r"<(str|slug):[a-z_]+>", "x", path)
    if "<" not in path and "(" not in path:
        yield path
        return
    if "(" in path:
        return  # a regex route left (Wagtail's catch-all): covered by the plain GETs
    for obj_id in ids:
        concrete = re.sub(r"<int:[a-z_]+>", str(obj_id), path)
        if "<" not in concrete:
            yield concrete


ATTACK_POST = {
    "title": "Kapad",
    "name": "Kapad",
    "label": "Kapad",
    "status": "in_force",
    "confirm": "1",
    "reason": "kapning",
    "liability": "none",
    "note": "kapad",
    "action-publish": "1",
}


def _assert_refused(client: Client, method: str, url: str, data: dict[str, Any] | None) -> None:
    response = client.get(url) if method == "GET" else client.post(url, data or {})
    status = response.status_code
    assert status < 500, f"{method} {url} answered {status}"
    if status in (301, 302):
        # Wagtail's "permission denied" sends to the dashboard or login; any other target is followed.
        target = response["Location"]
        if target.split("?")[0] in ("/admin/", "/admin/login/"):
            return
        followed = client.get(target, follow=True)
        final = followed.redirect_chain[-1][0].split("?")[0] if followed.redirect_chain else target
        if final in ("/admin/", "/admin/login/"):
            return
        if followed.status_code == 200 and not re.search(r"/\d+/", url):
            # No foreign id in the request: a redirect to a page of the actor's own is fine if it leaks nothing.
            assert MARKER not in followed.content.decode("utf-8", "replace").lower(), f"{method} {url} → {final}"
            return
        assert followed.status_code in (403, 404), f"{method} {url} → {final} answered {followed.status_code}"
        return
    body = response.content.decode("utf-8", "replace").lower()
    assert MARKER not in body and "pite\\u00e5" not in body, f"{method} {url} shows Piteå's data"
    if status == 200 and method == "GET":
        return  # a page that exists for the actor (a list, a form) and shows nothing of Piteå's
    assert status in (400, 403, 404, 405, 200), f"{method} {url} answered {status}"


@pytest.mark.parametrize("role", [role.code for role in ROLES])
def test_torsby_role_walks_every_admin_url_with_pitea_ids(role: str, tenants: tuple[Tenant, Tenant]) -> None:
    pitea, torsby = tenants
    client = Client()
    client.force_login(torsby.users[role])
    tried = 0
    for route, _pattern in admin_patterns():
        if any(part in route for part in ("logout", "password_reset", "login")):
            continue
        ids = _ids_for(route, pitea)
        for url in _fill(route, ids):
            tried += 1
            before = fingerprint()
            _assert_refused(client, "GET", url, None)
            if re.search(r"/\d+/", url):
                _assert_refused(client, "POST", url, {**ATTACK_POST, "organisation": torsby.municipality.pk})
            assert fingerprint() == before, f"a request to {url} as Torsby's {role} changed data"
    assert tried > 300


def test_anonymous_visitor_gets_the_login_page_for_every_admin_url(tenants: tuple[Tenant, Tenant]) -> None:
    pitea, _torsby = tenants
    client = Client()
    for route, _pattern in admin_patterns():
        if any(part in route for part in ("logout", "password_reset", "login", "jsi18n", "sprite", "test404")):
            continue
        for url in _fill(route, _ids_for(route, pitea)[:1]):
            response = client.get(url)
            assert response.status_code in (302, 403, 404), f"GET {url} as anonymous answered {response.status_code}"
            if response.status_code == 302:
                assert response["Location"].startswith("/admin/login/"), url


# --- The escalation that was found, replayed ------------------------------------------------------


def test_torsby_administrator_cannot_make_himself_pitea_administrator(tenants: tuple[Tenant, Tenant]) -> None:
    pitea, torsby = tenants
    attacker = torsby.users["administrator"]
    client = Client()
    client.force_login(attacker)
    admin_group = role_group("administrator")
    target = RoleAssignment.objects.filter(organisation__municipality=pitea.municipality).first()
    assert target is not None
    before = fingerprint()
    attack = {"user": attacker.pk, "organisation": pitea.municipality.pk, "role": admin_group.pk}

    assert client.get(f"/admin/role_assignments/edit/{target.pk}/").status_code == 404
    assert client.post(f"/admin/role_assignments/edit/{target.pk}/", attack).status_code == 404
    form = client.get("/admin/role_assignments/new/").content.decode()
    assert MARKER not in form.lower(), "the add form offers Piteå's organisations or users"
    response = client.post("/admin/role_assignments/new/", attack)
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    assert fingerprint() == before
    assert not RoleAssignment.objects.filter(user=attacker, organisation__municipality=pitea.municipality).exists()
    # With no role in Piteå he cannot read a Piteå official's personnummer either.
    person = pitea.objects[Person][0]
    assert client.get(f"/admin/officials/person/{person.pk}/?reveal=1").status_code == 404


def test_role_grant_is_audited_and_visible_to_the_affected_municipality(tenants: tuple[Tenant, Tenant]) -> None:
    pitea, torsby = tenants
    admin = torsby.users["administrator"]
    newcomer = get_user_model().objects.create_user("nykomling.torsby", password="x" * 14)
    client = Client()
    client.force_login(admin)
    archivist = role_group("archivist")
    response = client.post(
        "/admin/role_assignments/new/",
        {"user": newcomer.pk, "organisation": torsby.municipality.pk, "role": archivist.pk},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(object_type="core.roleassignment", action="create").latest("id")
    assert entry.actor_id == admin.pk and entry.organisation_id == torsby.municipality.pk
    # Torsby's administrators see it on their audit trail; Piteå's do not.
    trail = client.get("/admin/audit_trail/").content.decode()
    assert "nykomling.torsby" in trail
    pitea_client = Client()
    pitea_client.force_login(pitea.users["administrator"])
    assert "nykomling.torsby" not in pitea_client.get("/admin/audit_trail/").content.decode()
    assert pitea_client.get(f"/admin/audit_trail/inspect/{entry.pk}/").status_code == 404


def test_site_history_report_is_for_installation_administrators_only(tenants: tuple[Tenant, Tenant]) -> None:
    _pitea, torsby = tenants
    client = Client()
    client.force_login(torsby.users["administrator"])
    assert client.get("/admin/reports/site-history/").status_code == 404
    assert client.get("/admin/reports/site-history/results/").status_code == 404
    superuser = make_superuser()
    client.force_login(superuser)
    assert client.get("/admin/reports/site-history/").status_code == 200


def test_scoped_policy_answers_wagtail_editing_sessions(tenants: tuple[Tenant, Tenant]) -> None:
    pitea, torsby = tenants
    client = Client()
    client.force_login(torsby.users["registrar"])
    foreign = pitea.objects[GoverningDocument][0]
    own = torsby.objects[GoverningDocument][0]
    assert client.post(f"/admin/editing-sessions/ping/core/governingdocument/{foreign.pk}/0/").status_code == 404
    assert client.post(f"/admin/editing-sessions/ping/core/governingdocument/{own.pk}/0/").status_code == 200


def test_filters_and_forms_offer_only_own_municipality(tenants: tuple[Tenant, Tenant]) -> None:
    pitea, torsby = tenants
    for role, url in [
        ("registrar", "/admin/governing_documents/"),
        ("registrar", "/admin/governing_documents/new/"),
        ("archivist", f"/admin/records/document-types/edit/{torsby.objects[DocumentType][1].pk}/"),
        ("archivist", "/admin/records/document-types/new/"),
        ("administrator", "/admin/role_assignments/"),
        ("secretary", "/admin/officials/memberships/new/"),
        ("it", "/admin/loans/kits/new/"),
    ]:
        client = Client()
        client.force_login(torsby.users[role])
        response = client.get(url)
        assert response.status_code == 200, url
        assert MARKER not in response.content.decode().lower(), f"{url} offers Piteå's objects to Torsby's {role}"
    # A filter value naming Piteå's organisation finds nothing rather than Piteå's documents.
    client = Client()
    client.force_login(torsby.users["registrar"])
    body = client.get(f"/admin/governing_documents/?organisation={pitea.municipality.pk}").content.decode()
    assert MARKER not in body.lower()
    assert {BroadbandRequest, Incident} <= set(pitea.objects)


def test_changes_in_wagtails_own_admin_views_reach_the_audit_trail(db: Any) -> None:
    from wagtail.log_actions import log
    from wagtail.models import Collection

    superuser = make_superuser()
    collection = Collection.get_first_root_node().add_child(name="Arkiv")
    # Wagtail's own views log through this function; the audit trail must hear of it.
    log(instance=collection, action="wagtail.create", user=superuser)
    entry = AuditEntry.objects.latest("id")
    assert entry.actor_id == superuser.pk and entry.action == "create"
    assert entry.object_type == "wagtailcore.collection" and entry.object_id == str(collection.pk)
    assert entry.changes == {"wagtail_action": "wagtail.create"}


def test_dashboard_shows_role_changes_to_the_affected_municipality_only(tenants: tuple[Tenant, Tenant]) -> None:
    from insyn.core.services.organisations import role_assign

    pitea, torsby = tenants
    root = make_superuser()
    newcomer = get_user_model().objects.create_user("ny.sekreterare.torsby", password="x" * 14)
    role_assign(actor=root, user=newcomer, organisation=torsby.municipality, role_code="secretary")
    client = Client()
    client.force_login(torsby.users["administrator"])
    assert "ny.sekreterare.torsby" in client.get("/admin/").content.decode()
    client.force_login(pitea.users["administrator"])
    assert "ny.sekreterare.torsby" not in client.get("/admin/").content.decode()


def test_site_history_export_neutralises_formulas(db: Any) -> None:
    import csv
    import io

    from wagtail.log_actions import log

    root = make_superuser()
    token, _plain = APIToken.create_token(user=root, name='=HYPERLINK("http://evil.example","x")')
    log(instance=token, action="wagtail.create", user=root)
    client = Client()
    client.force_login(root)
    response = client.get("/admin/reports/site-history/?export=csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    cells = [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]
    hyperlink = [cell for cell in cells if "HYPERLINK" in cell]
    assert hyperlink and all(cell.startswith("'") for cell in hyperlink), hyperlink
