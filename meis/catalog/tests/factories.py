# mypy: disable-error-code="attr-defined,type-arg"
# factory_boy types a factory call as the factory, not the model it makes.
"""Factories for catalogue rows."""

import factory

from meis.catalog.models import EService


class EServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EService

    code = factory.Sequence(lambda n: f"test-service-{n}")
    subsystem = "targeted-assistance"
    name_az = factory.Sequence(lambda n: f"Sınaq xidməti {n}")
    name_en = factory.Sequence(lambda n: f"Test service {n}")
    name_ru = factory.Sequence(lambda n: f"Тестовая услуга {n}")
    description_az = "Təsvir"
    description_en = "Description"
    description_ru = "Описание"
    decision_working_days = 15
    handler = "meis.catalog.handlers.manual_review"
    form_fields = factory.LazyFunction(
        lambda: [
            {
                "name": "applicant_fin",
                "type": "fin",
                "required": True,
                "label": {"az": "FİN", "en": "FİN", "ru": "ФИН"},
            }
        ]
    )
    documents = factory.LazyFunction(list)
