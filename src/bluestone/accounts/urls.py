from django.urls import path

from bluestone.accounts import sso_views, views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-in/force-account/", sso_views.SingleSignOnStartView.as_view(), name="sso-start"),
    path("sign-in/force-account/callback/", sso_views.SingleSignOnCallbackView.as_view(), name="sso-callback"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign-out-everywhere"),
    path("two-factor/", views.two_factor, name="two-factor"),
    path("two-factor/set-up/", views.two_factor_set_up, name="two-factor-set-up"),
    path("two-factor/remove/", views.two_factor_remove, name="two-factor-remove"),
]
