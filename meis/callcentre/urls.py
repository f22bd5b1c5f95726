from django.urls import path, re_path

from meis.callcentre import views

app_name = "callcentre"
urlpatterns = [
    path("", views.calls, name="calls"),
    path("answer/", views.answer, name="answer"),
    path("call-backs/", views.callbacks, name="callbacks"),
    path("call-backs/<int:callback_id>/take/", views.callback_take, name="callback_take"),
    # A call's reference only (142-YYYYMMDD-XXXXXXXX): anything else is not found, never a query.
    re_path(r"^(?P<reference>142-[0-9]{8}-[0-9A-F]{8})/$", views.call_page, name="call"),
]
