from django.contrib.auth import views as auth_views
from django.urls import path

from tenants.accounts import views

app_name = "accounts"

urlpatterns = [
    path("entrar/", views.LoginView.as_view(), name="login"),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("contrasena/olvido/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "contrasena/olvido/enviado/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path("contrasena/nueva/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path(
        "contrasena/lista/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("invitacion/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
