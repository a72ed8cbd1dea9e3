from django.urls import path

from bluestone.victims import callbacks, views

app_name = "victims"
urlpatterns = [
    path("cases/<uuid:pk>/victim/", views.case_victim, name="case-victim"),
    path("cases/<uuid:pk>/victim/start/", views.profile_start, name="profile-start"),
    path("cases/<uuid:pk>/victim/<uuid:profile>/profile/", views.profile_edit, name="profile-edit"),
    path("cases/<uuid:pk>/victim/<uuid:profile>/plan/", views.contact_plan, name="contact-plan"),
    path("cases/<uuid:pk>/victim/<uuid:profile>/contact/", views.contact_record, name="contact-record"),
    path("cases/<uuid:pk>/victim/<uuid:profile>/update/", views.update_post, name="update-post"),
    path("cases/<uuid:pk>/victim/<uuid:profile>/support/", views.support_change, name="support-change"),
    path("cases/<uuid:pk>/victim/<uuid:profile>/portal-access/", views.portal_access, name="portal-access"),
    path(
        "cases/<uuid:pk>/victim/duties/<uuid:obligation>/not-applicable/",
        views.obligation_not_applicable_view,
        name="obligation-not-applicable",
    ),
    path("cases/<uuid:pk>/victim/messages/<uuid:message>/read/", views.message_read, name="message-read"),
    path("cases/<uuid:pk>/victim/messages/<uuid:message>/reply/", views.message_reply, name="message-reply"),
    path("cases/<uuid:pk>/victim/portal-lock/lift/", views.portal_lock_lift_view, name="portal-lock-lift"),
    path("victims/compliance/", views.team_compliance_view, name="team-compliance"),
    # GOV.UK Notify calls this with each message's delivery status (bearer token, no sign-in).
    path("notify/delivery-status/", callbacks.notify_callback, name="notify-callback"),
]
