"""The elected official's own pages, mounted at /mina-sidor/."""

from django.contrib.auth.views import LogoutView
from django.urls import path

from insyn.loans import views

app_name = "loans"
urlpatterns = [
    path("", views.overview, name="overview"),
    # POST only (Django's LogoutView), with the CSRF token of the form on every page of "Mina sidor".
    path("logga-ut/", LogoutView.as_view(next_page="loans:overview"), name="logout"),
    path("kvitton/<int:pk>/pdf/", views.receipt_pdf, name="receipt_pdf"),
    path("kvitton/<int:pk>/godkann/", views.receipt_accept, name="receipt_accept"),
    path("lan/<int:pk>/forlust/", views.report_incident, name="report_incident"),
    path("lan/<int:pk>/bredband/", views.request_broadband, name="request_broadband"),
    path("bredband/<int:pk>/beslut/", views.decide_broadband, name="decide_broadband"),
]
