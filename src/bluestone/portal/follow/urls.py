from django.urls import URLPattern, path

from bluestone.portal.follow import views

# "Follow my case": no URL holds a reference, an id or anything personal; the visitor is in the cookie.
urlpatterns: list[URLPattern] = [
    path("follow/", views.sign_in, name="follow-sign-in"),
    path("follow/secret-word/", views.set_check, name="follow-set-check"),
    path("follow/updates/", views.updates, name="follow-updates"),
    path("follow/messages/", views.messages_page, name="follow-messages"),
    path("follow/contact-preferences/", views.preferences, name="follow-preferences"),
    path("follow/feedback/", views.feedback, name="follow-feedback"),
    path("follow/sign-out/", views.sign_out, name="follow-sign-out"),
    path("follow/new-code/", views.new_code, name="follow-new-code"),
]
