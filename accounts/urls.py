"""URLs for sign-in, sign-out, password change, sign-up and the role landing."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.views.decorators.http import require_http_methods

from accounts import views
from accounts.sign_in import SignInForm

app_name = "accounts"
# Django's form views answer any method (a PUT as a POST; the set-password link
# renders for every method); these pages are forms: GET and POST only.
form_page = require_http_methods(["GET", "POST"])

urlpatterns = [
    path(
        "login/",
        form_page(
            auth_views.LoginView.as_view(
                template_name="accounts/login.html",
                authentication_form=SignInForm,
                redirect_authenticated_user=True,
            )
        ),
        name="login",
    ),
    path("login/phone/", views.phone_sign_in, name="phone_sign_in"),
    path("phone/", views.phone_settings, name="phone"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        form_page(
            auth_views.PasswordChangeView.as_view(
                template_name="accounts/password_change.html",
                success_url=reverse_lazy("accounts:password_change_done"),
            )
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("sign-up/", views.sign_up, name="sign_up"),
    # The one-time link an assistant gives a newly onboarded farmer.
    path(
        "set-password/<uidb64>/<token>/",
        form_page(
            auth_views.PasswordResetConfirmView.as_view(
                template_name="accounts/set_password.html",
                success_url=reverse_lazy("accounts:set_password_done"),
                # Farmers land signed in, and the next page shows the username.
                post_reset_login=True,
                post_reset_login_backend="django.contrib.auth.backends.ModelBackend",
            )
        ),
        name="set_password",
    ),
    path(
        "set-password/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/set_password_done.html"
        ),
        name="set_password_done",
    ),
    path("home/", views.role_home, name="home"),
]
