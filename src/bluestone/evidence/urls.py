from django.urls import path

from bluestone.evidence import views

app_name = "evidence"

_case = "cases/<uuid:pk>/evidence/"
_exhibit = _case + "exhibits/<uuid:exhibit_id>/"
_request = _case + "requests/<uuid:request_id>/"
_sample = "sarc/<uuid:sample_id>/"

urlpatterns = [
    path(_case, views.case_evidence, name="case-evidence"),
    path(_case + "exhibits/new/", views.exhibit_new, name="exhibit-new"),
    path(_exhibit, views.exhibit_detail, name="exhibit"),
    path(_exhibit + "move/", views.exhibit_move, name="exhibit-move"),
    path(_exhibit + "return/", views.exhibit_return, name="exhibit-return"),
    path(_exhibit + "replacement/", views.exhibit_replacement, name="exhibit-replacement"),
    path(_exhibit + "destroy/", views.exhibit_destroy, name="exhibit-destroy"),
    path(_exhibit + "keep/", views.exhibit_retain, name="exhibit-retain"),
    path(_case + "requests/new/", views.request_new, name="request-new"),
    path(_case + "requests/new/<str:kind>/", views.request_new_kind, name="request-new-kind"),
    path(_request, views.request_detail, name="request"),
    path(_request + "decision/", views.request_decision, name="request-decision"),
    path(_request + "refusal/", views.request_refusal, name="request-refusal"),
    path(_request + "complete/", views.request_complete, name="request-complete"),
    path(_request + "withdraw/", views.request_withdraw, name="request-withdraw"),
    path("evidence/requests-to-authorise/", views.requests_to_authorise, name="requests-to-authorise"),
    path("sarc/", views.sarc_register, name="sarc-register"),
    path("sarc/new/", views.sarc_new, name="sarc-new"),
    path(_sample, views.sarc_sample, name="sarc-sample"),
    path(_sample + "link/", views.sarc_link, name="sarc-link"),
    path(_sample + "destroy/", views.sarc_destroy, name="sarc-destroy"),
]
