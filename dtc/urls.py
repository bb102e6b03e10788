from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from . import forms, views

urlpatterns = [
    path("", views.home, name="home"),
    path("work/", views.work_queue, name="work_queue"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "sign-in/",
        login_not_required(
            auth_views.LoginView.as_view(
                authentication_form=forms.SignInForm, redirect_authenticated_user=True
            )
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "account/password/",
        auth_views.PasswordChangeView.as_view(form_class=forms.PasswordChangeForm),
        name="password_change",
    ),
    path(
        "account/password/changed/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("account/", views.profile, name="profile"),
    path("account/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("communities/<int:pk>/", views.community_detail, name="community_detail"),
    path("staff/", views.staff, name="staff"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("referrals/", include("referrals.urls")),
    path("residents/", include("residents.urls")),
    path("supervision/", include("supervision.urls")),
    path("community/", include("community.urls")),
    path("audit/", include("audit.urls")),
    path("admin/", admin.site.urls),
]
