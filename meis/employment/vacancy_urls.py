from django.urls import path

from meis.employment import vacancy_views

app_name = "vacancies"
urlpatterns = [
    path("", vacancy_views.vacancy_search_page, name="search"),
    path("<int:vacancy_id>/", vacancy_views.vacancy_detail_page, name="detail"),
]
