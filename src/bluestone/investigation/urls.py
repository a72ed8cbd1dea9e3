from django.urls import path

from bluestone.investigation import views

app_name = "investigation"
case = "cases/<uuid:pk>/"
urlpatterns = [
    path("my-work/", views.my_work, name="my-work"),
    path("team-work/", views.team_work, name="team-work"),
    path("approvals/", views.approvals, name="approvals"),
    path("reviews-due/", views.reviews_due, name="reviews-due"),
    path("templates/", views.templates, name="templates"),
    path("bail-authority/", views.bail_authority, name="bail-authority"),
    path("bail-authority/<int:pk>/revoke/", views.bail_authority_revoke, name="bail-authority-revoke"),
    path("templates/<int:template>/lines/new/", views.template_line_new, name="template-line-new"),
    path("templates/lines/<int:line>/", views.template_line, name="template-line"),
    path(f"{case}plan/", views.plan, name="plan"),
    path(f"{case}plan/create/", views.plan_create, name="plan-create"),
    path(f"{case}plan/lines/new/", views.line_add, name="line-add"),
    path(f"{case}plan/lines/<uuid:line>/", views.line, name="line"),
    path(f"{case}plan/lines/<uuid:line>/approval/", views.line_approval, name="line-approval"),
    path(f"{case}plan/lines/<uuid:line>/decision/", views.line_decide, name="line-decide"),
    path(f"{case}plan/review/", views.review, name="review"),
    path(f"{case}plan/suspect-event/", views.suspect_event, name="suspect-event"),
    path(f"{case}plan/charge/", views.charge, name="charge"),
    path(f"{case}plan/bail/", views.bail_new, name="bail-new"),
    path(f"{case}plan/bail/<uuid:bail>/conditions/", views.bail_conditions, name="bail-conditions"),
    path(f"{case}plan/bail/<uuid:bail>/extend/", views.bail_extend, name="bail-extend"),
    path(f"{case}plan/bail/<uuid:bail>/end/", views.bail_end, name="bail-end"),
    path(f"{case}plan/cps/", views.cps, name="cps"),
    path(f"{case}timeline/", views.timeline, name="timeline"),
    path(f"{case}outcome/", views.outcome, name="outcome"),
    path(f"{case}outcome/propose/", views.outcome_propose, name="outcome-propose"),
    path(f"{case}outcome/<uuid:decision>/sign-off/", views.outcome_sign_off, name="outcome-sign-off"),
    path(f"{case}outcome/<uuid:decision>/victim-told/", views.outcome_victim_told, name="outcome-victim-told"),
    path(f"{case}outcome/reopen/", views.outcome_reopen, name="outcome-reopen"),
]
