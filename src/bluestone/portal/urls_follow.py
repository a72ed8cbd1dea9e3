from django.urls import URLPattern, path

from bluestone.portal import follow_views

# "Follow my case": no URL holds a reference, an id or anything personal; the visitor is in the cookie.
urlpatterns: list[URLPattern] = [
    path("follow/", follow_views.sign_in, name="follow-sign-in"),
    path("follow/secret-word/", follow_views.set_check, name="follow-set-check"),
    path("follow/updates/", follow_views.updates, name="follow-updates"),
    path("follow/messages/", follow_views.messages_page, name="follow-messages"),
    path("follow/contact-preferences/", follow_views.preferences, name="follow-preferences"),
    path("follow/feedback/", follow_views.feedback, name="follow-feedback"),
    path("follow/sign-out/", follow_views.sign_out, name="follow-sign-out"),
    path("follow/new-code/", follow_views.new_code, name="follow-new-code"),
]
