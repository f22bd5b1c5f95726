from django.urls import path

from meis.callcentre import views

app_name = "callcentre"
urlpatterns = [
    path("", views.calls, name="calls"),
    path("answer/", views.answer, name="answer"),
    path("call-backs/", views.callbacks, name="callbacks"),
    path("call-backs/<int:callback_id>/take/", views.callback_take, name="callback_take"),
    path("<str:reference>/", views.call_page, name="call"),
]
