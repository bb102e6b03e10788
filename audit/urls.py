from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.index, name="index"),
    path("communities/<int:community_pk>/cycles/new/", views.cycle_open, name="cycle_open"),
    path("cycles/<int:pk>/", views.cycle, name="cycle"),
    path("cycles/<int:pk>/criteria/<int:criterion_pk>/rate/", views.rate, name="rate"),
    path("cycles/<int:pk>/advance/", views.cycle_advance, name="cycle_advance"),
    path("actions/<int:pk>/status/", views.action_status, name="action_status"),
    path("standards/", views.standards, name="standards"),
    path("standards/new/", views.criterion_edit, name="criterion_new"),
    path("standards/<int:pk>/edit/", views.criterion_edit, name="criterion_edit"),
    path("standards/<int:pk>/retire/", views.criterion_retire, name="criterion_retire"),
]
