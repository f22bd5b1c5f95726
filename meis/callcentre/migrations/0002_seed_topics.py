"""The call topics the 142 line starts with; the call centre edits the list in the admin."""

from typing import Any

from django.db import migrations

TOPICS = (
    ("pensions", "Pensiyalar", "Pensions", "Пенсии"),
    (
        "benefits",
        "Müavinətlər və təqaüdlər",
        "Social benefits and stipends",
        "Социальные пособия и стипендии",
    ),
    (
        "targeted-assistance",
        "Ünvanlı dövlət sosial yardımı",
        "Targeted social assistance",
        "Адресная государственная социальная помощь",
    ),
    ("disability", "Əlilliyin qiymətləndirilməsi", "Disability assessment", "Оценка инвалидности"),
    ("employment", "Məşğulluq və işsizlik", "Employment and unemployment", "Занятость и безработица"),
    ("labour-contracts", "Əmək müqavilələri", "Employment contracts", "Трудовые договоры"),
    (
        "social-insurance",
        "Sosial sığorta və fərdi hesab",
        "Social insurance and the individual account",
        "Социальное страхование и индивидуальный счёт",
    ),
    ("certificates", "Elektron arayışlar", "E-certificates", "Электронные справки"),
    ("application-status", "Müraciətin vəziyyəti", "Status of an application", "Статус обращения"),
    ("appointments", "DOST mərkəzinə qəbul", "DOST centre appointments", "Запись в центр DOST"),
    ("complaint", "Şikayət", "Complaint", "Жалоба"),
    ("other", "Digər", "Other", "Другое"),
)


def seed(apps: Any, schema_editor: Any) -> None:
    topic = apps.get_model("callcentre", "CallTopic")
    for position, (code, az, en, ru) in enumerate(TOPICS, start=1):
        topic.objects.update_or_create(
            code=code,
            defaults={"name_az": az, "name_en": en, "name_ru": ru, "position": position * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("callcentre", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
