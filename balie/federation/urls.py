from django.urls import path

from . import hubapi, views

app_name = "federation"

urlpatterns = [
    path("federatie/knooppunten/", views.nodes, name="nodes"),
    path("api/federatie/v1/knooppunt", hubapi.KnooppuntView.as_view(), name="api_node"),
    path("api/federatie/v1/codelijsten", hubapi.CodelijstenView.as_view(), name="api_codelists"),
    path("api/federatie/v1/codelijsten/<int:nummer>", hubapi.CodelijstView.as_view(), name="api_codelist"),
    path("api/federatie/v1/leveringen", hubapi.LeveringenView.as_view(), name="api_deliveries"),
    path("api/federatie/v1/leveringen/<str:periode>", hubapi.LeveringView.as_view(), name="api_delivery"),
    path("api/federatie/v1/signalen/<uuid:id>", hubapi.SignaalView.as_view(), name="api_signal"),
]
