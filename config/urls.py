from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents.views import serve as wagtaildocs_serve

from insyn.api.api import api
from insyn.core.admin_views import api_token_scoped_views, not_available, page_set_position, site_history
from insyn.core.views import home_view, media_serve

_token_views = api_token_scoped_views()

urlpatterns = [
    path("", home_view, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before Wagtail's admin: its site history is not scoped to a municipality (see site_history).
    path("admin/reports/site-history/", site_history, name="insyn_site_history"),
    path("admin/reports/site-history/results/", site_history, {"results_only": True}),
    # Wagtail's deliberate 500 ("failwhale") is a test page: no one needs it in production.
    path("admin/failwhale/", not_available),
    path("admin/pages/<int:page_to_move_id>/set_position/", page_set_position),
    path("admin/api-tokens/", _token_views["index"]),
    path("admin/api-tokens/results/", _token_views["index_results"]),
    path("admin/api-tokens/edit/<int:pk>/", _token_views["edit"]),
    path("admin/api-tokens/delete/<int:pk>/", _token_views["delete"]),
    path("admin/api-tokens/history/<int:pk>/", _token_views["history"]),
    path("admin/api-tokens/history-results/<int:pk>/", _token_views["history_results"]),
    path("admin/api-tokens/usage/<int:pk>/", _token_views["usage"]),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's own document URLs, with a login in front: no document is served to anonymous visitors.
    re_path(r"^documents/(\d+)/(.*)$", login_required(wagtaildocs_serve.serve), name="wagtaildocs_serve"),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        wagtaildocs_serve.authenticate_with_password,
        name="wagtaildocs_authenticate_with_password",
    ),
    path("files/", include("insyn.core.urls")),
    path("api/v1/", api.urls),
    path("plans/", include("insyn.records.urls")),
    path("mina-sidor/", include("insyn.loans.urls")),
    path("integritet/", include("insyn.privacy.urls")),
]

# Media are never served by URL alone, not even with DEBUG: each path goes through the view of the
# object that owns it, which checks the right (insyn/core/files.py, docs/deployment.md "Protected files").
urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media_serve, name="media")]

urlpatterns += [path("pages/", include(wagtail_urls))]
