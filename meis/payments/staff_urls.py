from django.urls import path

from meis.payments import views

app_name = "payroll"
urlpatterns = [
    path("", views.payroll, name="runs"),
    path("<int:run_id>/", views.run_page, name="run"),
    path("tasks/", views.tasks, name="tasks"),
    path("<int:run_id>/approve/", views.approve, name="approve"),
    path("<int:run_id>/release/", views.release, name="release"),
    path("files/<int:file_id>/", views.download, name="download"),
    path("accounts/", views.accounts_find, name="accounts"),
    path("accounts/<int:person_id>/", views.account_page, name="account"),
    path("cards/", views.cards, name="cards"),
    path("cards/<int:order_id>/confirm/", views.card_confirm, name="card_confirm"),
]
