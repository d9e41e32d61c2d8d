from django.urls import path

from insyn.records import views

app_name = "records"
urlpatterns = [
    path("", views.plan_index, name="plan_index"),
    path("sok/", views.plan_search, name="plan_search"),
    path("<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("<int:plan_id>/process/<int:process_id>/", views.plan_process, name="plan_process"),
    path("<int:plan_id>/pdf/", views.plan_pdf, name="plan_pdf"),
]
