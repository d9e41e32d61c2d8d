"""The elected official's own pages, mounted at /mina-sidor/."""

from django.urls import path

from insyn.loans import views

app_name = "loans"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("kvitton/<int:pk>/pdf/", views.receipt_pdf, name="receipt_pdf"),
    path("kvitton/<int:pk>/godkann/", views.receipt_accept, name="receipt_accept"),
    path("lan/<int:pk>/forlust/", views.report_incident, name="report_incident"),
    path("lan/<int:pk>/bredband/", views.request_broadband, name="request_broadband"),
    path("bredband/<int:pk>/beslut/", views.decide_broadband, name="decide_broadband"),
]
