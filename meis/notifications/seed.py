"""The wording of every template MEİS ships, in Azerbaijani, English and Russian, version by version.

`SEED` holds version 1; `REVISIONS` the later versions MEİS itself published (a published
version is never edited: a change of wording is a new revision here). Used by the data migrations
(`0002_seed_templates` and each migration that ships a revision) and by tests (a transactional
test's flush removes migrated rows). `templates_seed` adds only what is missing, so it is safe to
run twice.
"""

from __future__ import annotations

from typing import Any

_AZ_SIGNATURE = "Əmək və Əhalinin Sosial Müdafiəsi Nazirliyi"
_EN_SIGNATURE = "Ministry of Labour and Social Protection of Population"
_RU_SIGNATURE = "Министерство труда и социальной защиты населения"

# (e-mail subject, e-mail text, SMS text)
Texts = tuple[str, str, str]

# (event, language) → version 1
SEED: dict[tuple[str, str], Texts] = {
    ("one_time_code", "az"): (
        "MEİS: birdəfəlik kod",
        "MEİS təsdiq kodunuz: ((code)).\n\n"
        "Kod ((minutes_valid)) dəqiqə etibarlıdır. Kodu heç kimə deməyin — "
        "əməkdaşlarımız onu heç vaxt soruşmur.\n\n"
        "Kodu siz istəməmisinizsə, bu məktubu nəzərə almayın.",
        "MEİS kodu: ((code)). ((minutes_valid)) dəqiqə etibarlıdır. Kodu heç kimə deməyin.",
    ),
    ("one_time_code", "en"): (
        "MEİS: your one-time code",
        "Your MEİS confirmation code is ((code)).\n\n"
        "It is valid for ((minutes_valid)) minutes. Do not share it with anyone — "
        "our staff will never ask for it.\n\n"
        "If you did not ask for a code, ignore this message.",
        "MEIS code: ((code)). Valid for ((minutes_valid)) minutes. Do not share it with anyone.",
    ),
    ("one_time_code", "ru"): (
        "MEİS: одноразовый код",
        "Ваш код подтверждения MEİS: ((code)).\n\n"
        "Код действителен ((minutes_valid)) мин. Никому не сообщайте код — "
        "наши сотрудники никогда его не спрашивают.\n\n"
        "Если вы не запрашивали код, не обращайте внимания на это сообщение.",
        "Код MEİS: ((code)). Действителен ((minutes_valid)) мин. Никому его не сообщайте.",
    ),
    ("case_decision", "az"): (
        "((case_reference)) nömrəli müraciətiniz üzrə qərar",
        "Hörmətli ((name)),\n\n"
        "«((service_name))» xidməti üzrə ((case_reference)) nömrəli müraciətinizə baxılıb. "
        "Qərar: ((decision)).\n\n"
        "Qərarın mətnini və əsaslandırmasını portalda görə bilərsiniz: ((portal_url))\n\n"
        "Qərarla razı deyilsinizsə, portal vasitəsilə və ya 142 Çağrı Mərkəzinə zəng edərək "
        "şikayət verə bilərsiniz.\n\n" + _AZ_SIGNATURE,
        "((case_reference)) nömrəli müraciətiniz üzrə qərar qəbul edilib: ((decision)). "
        "Ətraflı: ((portal_url))",
    ),
    ("case_decision", "en"): (
        "Decision on your application ((case_reference))",
        "Dear ((name)),\n\n"
        "Your application ((case_reference)) for “((service_name))” has been decided. "
        "Decision: ((decision)).\n\n"
        "You can read the decision and the reasons for it on the portal: ((portal_url))\n\n"
        "If you disagree with the decision, you can appeal through the portal or by calling "
        "the 142 call centre.\n\n" + _EN_SIGNATURE,
        "Your application ((case_reference)) has been decided: ((decision)). "
        "Details: ((portal_url))",
    ),
    ("case_decision", "ru"): (
        "Решение по вашему обращению ((case_reference))",
        "Уважаемый(ая) ((name)),\n\n"
        "Ваше обращение ((case_reference)) по услуге «((service_name))» рассмотрено. "
        "Решение: ((decision)).\n\n"
        "Текст решения и его обоснование доступны на портале: ((portal_url))\n\n"
        "Если вы не согласны с решением, вы можете обжаловать его через портал или по телефону "
        "колл-центра 142.\n\n" + _RU_SIGNATURE,
        "По обращению ((case_reference)) принято решение: ((decision)). Подробнее: ((portal_url))",
    ),
    ("case_award", "az"): (
        "((case_reference)) nömrəli müraciətiniz üzrə təyinat",
        "Hörmətli ((name)),\n\n"
        "«((service_name))» xidməti üzrə ((case_reference)) nömrəli müraciətiniz təmin edilib: "
        "sizə ((award_name)) təyin edilib.\n\n"
        "Məbləğ: ((amount)). Ödəniş ((start_on)) tarixindən başlayır. ((arrears))\n\n"
        "Məbləğ necə hesablanıb:\n((explanation))\n\n"
        "((appeal))\n\n"
        "Qərarın mətninə portalda baxa bilərsiniz: ((portal_url))\n\n" + _AZ_SIGNATURE,
        "((case_reference)): sizə ((award_name)) təyin edilib, ((amount)), ((start_on)) "
        "tarixindən. Ətraflı: ((portal_url))",
    ),
    ("case_award", "en"): (
        "Your application ((case_reference)): ((award_name)) awarded",
        "Dear ((name)),\n\n"
        "Your application ((case_reference)) for “((service_name))” has been approved: you have "
        "been awarded ((award_name)).\n\n"
        "Amount: ((amount)). Payments start on ((start_on)). ((arrears))\n\n"
        "How the amount was computed:\n((explanation))\n\n"
        "((appeal))\n\n"
        "You can read the decision on the portal: ((portal_url))\n\n" + _EN_SIGNATURE,
        "((case_reference)): you have been awarded ((award_name)), ((amount)) from ((start_on)). "
        "Details: ((portal_url))",
    ),
    ("case_award", "ru"): (
        "Ваше обращение ((case_reference)): назначено — ((award_name))",
        "Уважаемый(ая) ((name)),\n\n"
        "Ваше обращение ((case_reference)) по услуге «((service_name))» удовлетворено: вам "
        "назначено — ((award_name)).\n\n"
        "Сумма: ((amount)). Выплаты начинаются с ((start_on)). ((arrears))\n\n"
        "Как рассчитана сумма:\n((explanation))\n\n"
        "((appeal))\n\n"
        "Текст решения доступен на портале: ((portal_url))\n\n" + _RU_SIGNATURE,
        "((case_reference)): вам назначено — ((award_name)), ((amount)) с ((start_on)). "
        "Подробнее: ((portal_url))",
    ),
    ("case_refusal", "az"): (
        "((case_reference)) nömrəli müraciətiniz üzrə qərar",
        "Hörmətli ((name)),\n\n"
        "«((service_name))» xidməti üzrə ((case_reference)) nömrəli müraciətinizə baxılıb.\n\n"
        "Qərar: ((decision))\n\n"
        "Qaydalar müraciətinizi belə qiymətləndirib:\n((explanation))\n\n"
        "Qərarın mətninə portalda baxa bilərsiniz: ((portal_url))\n\n" + _AZ_SIGNATURE,
        "((case_reference)) nömrəli müraciətiniz üzrə qərar qəbul edilib: təmin edilməyib. "
        "Əsas və şikayət qaydası: ((portal_url))",
    ),
    ("case_refusal", "en"): (
        "Decision on your application ((case_reference))",
        "Dear ((name)),\n\n"
        "Your application ((case_reference)) for “((service_name))” has been decided.\n\n"
        "Decision: ((decision))\n\n"
        "How the rules assessed your application:\n((explanation))\n\n"
        "You can read the decision on the portal: ((portal_url))\n\n" + _EN_SIGNATURE,
        "Your application ((case_reference)) has been decided: not granted. "
        "The legal ground and how to appeal: ((portal_url))",
    ),
    ("case_refusal", "ru"): (
        "Решение по вашему обращению ((case_reference))",
        "Уважаемый(ая) ((name)),\n\n"
        "Ваше обращение ((case_reference)) по услуге «((service_name))» рассмотрено.\n\n"
        "Решение: ((decision))\n\n"
        "Как правила оценили ваше обращение:\n((explanation))\n\n"
        "Текст решения доступен на портале: ((portal_url))\n\n" + _RU_SIGNATURE,
        "По обращению ((case_reference)) принято решение: отказано. "
        "Основание и порядок обжалования: ((portal_url))",
    ),
    ("case_received", "az"): (
        "((case_reference)) nömrəli müraciətiniz qəbul edildi",
        "Hörmətli ((name)),\n\n"
        "«((service_name))» xidməti üzrə müraciətiniz qəbul edildi. "
        "Müraciətin nömrəsi: ((case_reference)).\n\n"
        "Qanuna görə qərar ((due_on)) tarixinədək verilməlidir. Sizdən əlavə məlumat istəsək, "
        "cavab verənədək bu müddət dayanır.\n\n"
        "Müraciətin gedişini portalda izləyə bilərsiniz: ((portal_url))\n\n" + _AZ_SIGNATURE,
        "Müraciətiniz qəbul edildi: ((case_reference)). Qərar ((due_on)) tarixinədək. "
        "İzləyin: ((portal_url))",
    ),
    ("case_received", "en"): (
        "We have received your application ((case_reference))",
        "Dear ((name)),\n\n"
        "We have received your application for “((service_name))”. "
        "Your reference number is ((case_reference)).\n\n"
        "The law requires a decision by ((due_on)). If we ask you for more information, "
        "the time stops until you answer.\n\n"
        "You can follow your application on the portal: ((portal_url))\n\n" + _EN_SIGNATURE,
        "Application received: ((case_reference)). Decision due by ((due_on)). "
        "Follow it: ((portal_url))",
    ),
    ("case_received", "ru"): (
        "Ваше обращение ((case_reference)) принято",
        "Уважаемый(ая) ((name)),\n\n"
        "Ваше обращение по услуге «((service_name))» принято. "
        "Номер обращения: ((case_reference)).\n\n"
        "По закону решение должно быть принято до ((due_on)). Если мы запросим у вас "
        "дополнительные сведения, срок приостанавливается до вашего ответа.\n\n"
        "Следить за обращением можно на портале: ((portal_url))\n\n" + _RU_SIGNATURE,
        "Обращение принято: ((case_reference)). Решение до ((due_on)). Подробнее: ((portal_url))",
    ),
    ("information_requested", "az"): (
        "((case_reference)) nömrəli müraciətiniz üçün əlavə məlumat lazımdır",
        "Hörmətli ((name)),\n\n"
        "«((service_name))» xidməti üzrə ((case_reference)) nömrəli müraciətinizə baxmaq üçün "
        "bizə aşağıdakılar lazımdır:\n\n((requested_information))\n\n"
        "Zəhmət olmasa, ((due_on)) tarixinədək portal vasitəsilə təqdim edin: ((portal_url))\n\n"
        "Məlumat daxil olanadək müraciətə baxılma müddəti dayandırılır.\n\n" + _AZ_SIGNATURE,
        "((case_reference)) nömrəli müraciətiniz üçün əlavə məlumat lazımdır. "
        "((due_on)) tarixinədək təqdim edin: ((portal_url))",
    ),
    ("information_requested", "en"): (
        "More information needed for your application ((case_reference))",
        "Dear ((name)),\n\n"
        "To decide your application ((case_reference)) for “((service_name))” we need the "
        "following:\n\n((requested_information))\n\n"
        "Please provide it through the portal by ((due_on)): ((portal_url))\n\n"
        "The time limit for deciding your application is paused until we receive it.\n\n"
        + _EN_SIGNATURE,
        "We need more information for your application ((case_reference)). "
        "Please provide it by ((due_on)): ((portal_url))",
    ),
    ("information_requested", "ru"): (
        "Для рассмотрения обращения ((case_reference)) нужны дополнительные сведения",
        "Уважаемый(ая) ((name)),\n\n"
        "Для рассмотрения вашего обращения ((case_reference)) по услуге «((service_name))» "
        "нам необходимо следующее:\n\n((requested_information))\n\n"
        "Пожалуйста, представьте эти сведения через портал до ((due_on)): ((portal_url))\n\n"
        "До их получения срок рассмотрения обращения приостановлен.\n\n" + _RU_SIGNATURE,
        "Для обращения ((case_reference)) нужны дополнительные сведения. "
        "Представьте их до ((due_on)): ((portal_url))",
    ),
    ("proactive_award", "az"): (
        "Sizə ((award_name)) təyin edilib",
        "Hörmətli ((name)),\n\n"
        "Dövlət reyestrlərindəki məlumatlar əsasında sizə müraciət etmədən ((award_name)) "
        "təyin edilib. Məbləğ: ((amount)). Ödəniş ((start_on)) tarixindən başlayır.\n\n"
        "Hesablamanın təfərrüatlarına portalda baxa bilərsiniz: ((portal_url))\n\n"
        "Məlumatlarda səhv görürsünüzsə, 142 Çağrı Mərkəzinə zəng edin.\n\n" + _AZ_SIGNATURE,
        "Sizə müraciətsiz ((award_name)) təyin edilib: ((amount)), ((start_on)) tarixindən. "
        "Ətraflı: ((portal_url))",
    ),
    ("proactive_award", "en"): (
        "You have been awarded ((award_name))",
        "Dear ((name)),\n\n"
        "Based on the information in the state registers, you have been awarded "
        "((award_name)) without having to apply. Amount: ((amount)). "
        "Payments start on ((start_on)).\n\n"
        "You can see how it was calculated on the portal: ((portal_url))\n\n"
        "If any of the information is wrong, call the 142 call centre.\n\n" + _EN_SIGNATURE,
        "You have been awarded ((award_name)) without applying: ((amount)) from ((start_on)). "
        "Details: ((portal_url))",
    ),
    ("proactive_award", "ru"): (
        "Вам назначено: ((award_name))",
        "Уважаемый(ая) ((name)),\n\n"
        "На основании сведений государственных реестров вам без подачи заявления назначено: "
        "((award_name)). Сумма: ((amount)). Выплаты начинаются с ((start_on)).\n\n"
        "Подробности расчёта доступны на портале: ((portal_url))\n\n"
        "Если в сведениях есть ошибка, позвоните в колл-центр 142.\n\n" + _RU_SIGNATURE,
        "Вам без заявления назначено: ((award_name)), ((amount)) с ((start_on)). "
        "Подробнее: ((portal_url))",
    ),
    ("pickup_ready", "az"): (
        "((item)) hazırdır: götürmək üçün vaxt seçin",
        "Hörmətli ((name)),\n\n"
        "((case_reference)) nömrəli müraciətiniz üzrə ((item)) hazırdır. Onu şəxsən, "
        "((place)) ünvanında götürə bilərsiniz.\n\n"
        "Portala daxil olub götürmək üçün vaxt seçin: ((portal_url))\n"
        "Şəxsiyyət vəsiqənizi özünüzlə götürün.\n\n" + _AZ_SIGNATURE,
        "((item)) hazırdır (((case_reference))). Götürmək üçün vaxt seçin: ((portal_url))",
    ),
    ("pickup_ready", "en"): (
        "Your ((item)) is ready: choose a time to collect it",
        "Dear ((name)),\n\n"
        "Your ((item)) for application ((case_reference)) is ready. You collect it in person "
        "at ((place)).\n\n"
        "Sign in to the portal and choose a time: ((portal_url))\n"
        "Please bring your identity card.\n\n" + _EN_SIGNATURE,
        "Your ((item)) is ready (((case_reference))). Choose a time to collect it: ((portal_url))",
    ),
    ("pickup_ready", "ru"): (
        "((item)) готов(а): выберите время получения",
        "Уважаемый(ая) ((name)),\n\n"
        "По заявлению ((case_reference)) готов документ: ((item)). Его выдают лично по адресу: "
        "((place)).\n\n"
        "Войдите на портал и выберите время: ((portal_url))\n"
        "Возьмите удостоверение личности.\n\n" + _RU_SIGNATURE,
        "Готово: ((item)) (((case_reference))). Выберите время получения: ((portal_url))",
    ),
    ("appointment_reminder", "az"): (
        "Xatırlatma: sabah DOST mərkəzində qəbul",
        "Hörmətli ((name)),\n\n"
        "((appointment_on)), saat ((appointment_time)) üçün ((place)) ünvanında növbəniz var: "
        "((service_name)).\n\n"
        "Şəxsiyyət vəsiqənizi özünüzlə götürün. Vaxtı dəyişmək və ya növbəni ləğv etmək üçün: "
        "((portal_url))\n\n" + _AZ_SIGNATURE,
        "Xatırlatma: ((appointment_on)), saat ((appointment_time)), ((place)). "
        "Dəyişmək üçün: ((portal_url))",
    ),
    ("appointment_reminder", "en"): (
        "Reminder: your appointment at a DOST centre tomorrow",
        "Dear ((name)),\n\n"
        "You have an appointment on ((appointment_on)) at ((appointment_time)) at ((place)): "
        "((service_name)).\n\n"
        "Please bring your identity card. To change or cancel it: ((portal_url))\n\n"
        + _EN_SIGNATURE,
        "Reminder: appointment ((appointment_on)) at ((appointment_time)), ((place)). "
        "To change it: ((portal_url))",
    ),
    ("appointment_reminder", "ru"): (
        "Напоминание: завтра приём в центре DOST",
        "Уважаемый(ая) ((name)),\n\n"
        "Вы записаны на ((appointment_on)) в ((appointment_time)) по адресу: ((place)) — "
        "((service_name)).\n\n"
        "Возьмите удостоверение личности. Изменить или отменить запись: ((portal_url))\n\n"
        + _RU_SIGNATURE,
        "Напоминание: приём ((appointment_on)) в ((appointment_time)), ((place)). "
        "Изменить: ((portal_url))",
    ),
    ("pickup_reminder", "az"): (
        "Xatırlatma: ((item)) hazırdır",
        "Hörmətli ((name)),\n\n"
        "((item)) hazırdır. Onu ((pickup_on)) tarixində, saat ((pickup_time)) üçün təyin "
        "olunmuş vaxtda bu ünvandan götürə bilərsiniz: ((place)).\n\n"
        "Şəxsiyyət vəsiqənizi özünüzlə götürməyi unutmayın. Vaxtı dəyişmək üçün portala daxil "
        "olun və ya 142 Çağrı Mərkəzinə zəng edin.\n\n" + _AZ_SIGNATURE,
        "Xatırlatma: ((item)) hazırdır. ((pickup_on)), saat ((pickup_time)). "
        "Ünvan: ((place)). Şəxsiyyət vəsiqənizi götürün.",
    ),
    ("pickup_reminder", "en"): (
        "Reminder: your ((item)) is ready to collect",
        "Dear ((name)),\n\n"
        "Your ((item)) is ready. You can collect it at ((place)) on ((pickup_on)) "
        "at ((pickup_time)).\n\n"
        "Please bring your identity card. To change the time, sign in to the portal or call "
        "the 142 call centre.\n\n" + _EN_SIGNATURE,
        "Reminder: your ((item)) is ready to collect at ((place)) on ((pickup_on)) "
        "at ((pickup_time)). Bring your identity card.",
    ),
    ("pickup_reminder", "ru"): (
        "Напоминание: можно получить ((item))",
        "Уважаемый(ая) ((name)),\n\n"
        "Вы можете получить ((item)) ((pickup_on)) в ((pickup_time)) по адресу: ((place)).\n\n"
        "Не забудьте взять удостоверение личности. Чтобы изменить время, войдите на портал "
        "или позвоните в колл-центр 142.\n\n" + _RU_SIGNATURE,
        "Напоминание: ((item)) можно получить ((pickup_on)) в ((pickup_time)), "
        "адрес: ((place)). Возьмите удостоверение личности.",
    ),
    ("email_received", "az"): (
        "((centre_name)): məktubunuz qəbul edildi, nömrə ((reference))",
        "Məktubunuz ((centre_name)) tərəfindən qəbul edildi. Onun nömrəsi: ((reference)).\n\n"
        "Bu məsələ ilə bağlı yeni məktubların mövzusunda bu nömrəni yazın.((refused_files))\n\n"
        "Bu cavab avtomatik göndərilib; ona cavab verməyin.\n\n" + _AZ_SIGNATURE,
        "",
    ),
    ("email_received", "en"): (
        "((centre_name)): your e-mail was received, reference ((reference))",
        "((centre_name)) received your e-mail. Its reference is ((reference)).\n\n"
        "Write this reference in the subject of any further e-mail about it.((refused_files))\n\n"
        "This answer was sent automatically; please do not reply to it.\n\n" + _EN_SIGNATURE,
        "",
    ),
    ("email_received", "ru"): (
        "((centre_name)): ваше письмо получено, номер ((reference))",
        "((centre_name)) получил ваше письмо. Его номер: ((reference)).\n\n"
        "Указывайте этот номер в теме следующих писем по этому вопросу.((refused_files))\n\n"
        "Это автоматический ответ; не отвечайте на него.\n\n" + _RU_SIGNATURE,
        "",
    ),
    ("email_refused", "az"): (
        "((centre_name)): məktubunuz qəbul edilmədi",
        "((centre_name)) məktubunuzu qəbul edə bilmədi: ((reason))\n\n"
        "Bu cavab avtomatik göndərilib; ona cavab verməyin.\n\n" + _AZ_SIGNATURE,
        "",
    ),
    ("email_refused", "en"): (
        "((centre_name)): your e-mail was not accepted",
        "((centre_name)) could not accept your e-mail: ((reason))\n\n"
        "This answer was sent automatically; please do not reply to it.\n\n" + _EN_SIGNATURE,
        "",
    ),
    ("email_refused", "ru"): (
        "((centre_name)): ваше письмо не принято",
        "((centre_name)) не может принять ваше письмо: ((reason))\n\n"
        "Это автоматический ответ; не отвечайте на него.\n\n" + _RU_SIGNATURE,
        "",
    ),
    ("certificate_issued", "az"): (
        "Arayışınız: ((certificate_title))",
        "Hörmətli ((name)),\n\n"
        "((issued_on)) tarixində sizə «((certificate_title))» verilib. Elektron imzalı arayış "
        "bu məktuba PDF faylı kimi əlavə olunub. O, ((valid_until)) tarixinədək etibarlıdır.\n\n"
        "Arayışı alan təşkilat onu üzərindəki yoxlama kodu və ya QR kod ilə yoxlaya bilər; "
        "hər yoxlamanı portalda «Məlumatlarıma kim baxıb» bölməsində görəcəksiniz.\n\n"
        "Arayışı portalda da yükləyə və ya ləğv edə bilərsiniz: ((portal_url))\n\n"
        "Arayışı siz istəməmisinizsə, 142 Çağrı Mərkəzinə zəng edin.\n\n" + _AZ_SIGNATURE,
        "Arayışınız hazırdır: ((certificate_title)). Portalda yükləyin: ((portal_url))",
    ),
    ("certificate_issued", "en"): (
        "Your certificate: ((certificate_title))",
        "Dear ((name)),\n\n"
        "On ((issued_on)) you were issued a “((certificate_title))”. The electronically signed "
        "certificate is attached to this e-mail as a PDF file. It is valid until "
        "((valid_until)).\n\n"
        "Whoever receives it can check it by the verification code or QR code printed on it; "
        "you will see every check on the portal under “Who looked at my data”.\n\n"
        "You can also download or revoke the certificate on the portal: ((portal_url))\n\n"
        "If you did not ask for this certificate, call the 142 call centre.\n\n" + _EN_SIGNATURE,
        "Your certificate is ready: ((certificate_title)). Download it on the portal: "
        "((portal_url))",
    ),
    ("certificate_issued", "ru"): (
        "Ваша справка: ((certificate_title))",
        "Уважаемый(ая) ((name)),\n\n"
        "((issued_on)) вам выдана справка «((certificate_title))». Справка с электронной "
        "подписью приложена к этому письму в виде PDF-файла. Она действительна до "
        "((valid_until)).\n\n"
        "Организация, которой вы её предъявите, может проверить её по коду проверки или "
        "QR-коду на справке; каждую проверку вы увидите на портале в разделе "
        "«Кто просматривал мои данные».\n\n"
        "Справку можно также скачать или отозвать на портале: ((portal_url))\n\n"
        "Если вы не запрашивали справку, позвоните в колл-центр 142.\n\n" + _RU_SIGNATURE,
        "Ваша справка готова: ((certificate_title)). Скачайте её на портале: ((portal_url))",
    ),
    ("proactive_award_child", "az"): (
        "((child_name)) üçün ((award_name)) təyin edilib",
        "Hörmətli ((name)),\n\n"
        "Dövlət reyestrlərindəki məlumatlar əsasında ((child_name)) üçün müraciət etmədən "
        "((award_name)) təyin edilib. Məbləğ: ((amount)). Ödəniş ((start_on)) tarixindən "
        "başlayır.\n\n"
        "Ödənişi edən bank filialı: ((bank_branch)).\n\n"
        "Bu məktubu sizə uşağın valideyni və ya onunla birlikdə yaşayan yetkin ailə üzvü kimi "
        "göndəririk. Müavinət uşağın adına təyin edildiyi üçün portalda sizin təyinatlarınız "
        "arasında görünmür: hesablamanın təfərrüatlarını öyrənmək və ya məlumatlardakı səhvi "
        "bildirmək üçün 142 Çağrı Mərkəzinə zəng edin.\n\n" + _AZ_SIGNATURE,
        "((child_name)) üçün müavinət təyin edildi: ((amount)), ((start_on)) tarixindən. "
        "Bank: ((bank_branch)). Sual: 142",
    ),
    ("proactive_award_child", "en"): (
        "((award_name)) awarded for ((child_name))",
        "Dear ((name)),\n\n"
        "Based on the information in the state registers, ((child_name)) has been awarded "
        "((award_name)) without having to apply. Amount: ((amount)). "
        "Payments start on ((start_on)).\n\n"
        "The bank branch that pays it: ((bank_branch)).\n\n"
        "We are writing to you as the child's parent or as an adult member of the child's "
        "household. The benefit is awarded in the child's name, so it is not among your own "
        "awards on the portal: to ask how it was calculated, or if any of the information is "
        "wrong, call the 142 call centre.\n\n" + _EN_SIGNATURE,
        "((child_name)) has been awarded ((award_name)): ((amount)) from ((start_on)). "
        "Bank: ((bank_branch)). Questions: call 142",
    ),
    ("proactive_award_child", "ru"): (
        "Назначено: ((award_name)) (ребёнок: ((child_name)))",
        "Уважаемый(ая) ((name)),\n\n"
        "На основании сведений государственных реестров без подачи заявления назначено: "
        "((award_name)). Ребёнок: ((child_name)). Сумма: ((amount)). "
        "Выплаты начинаются с ((start_on)).\n\n"
        "Выплату производит отделение банка: ((bank_branch)).\n\n"
        "Мы пишем вам как родителю ребёнка или как совершеннолетнему члену семьи, с которой "
        "он живёт. Пособие назначено на имя ребёнка, поэтому на портале его нет среди ваших "
        "назначений: чтобы узнать подробности расчёта или сообщить об ошибке в сведениях, "
        "позвоните в колл-центр 142.\n\n" + _RU_SIGNATURE,
        "Ребёнку ((child_name)) назначено пособие: ((amount)) с ((start_on)). "
        "Банк: ((bank_branch)). Вопросы: 142",
    ),
    ("award_ended", "az"): (
        "((award_name)) başa çatıb",
        "Hörmətli ((name)),\n\n"
        "Sizə təyin edilmiş ((award_name)) başa çatıb. Ödənişin son günü: ((end_on)).\n\n"
        "Səbəb: ((reason)).\n\n"
        "Cari və keçmiş təyinatlarınıza portalda baxa bilərsiniz: ((portal_url))\n\n"
        "Bunun səhv olduğunu düşünürsünüzsə və ya hüququnuz davam edirsə, 142 Çağrı Mərkəzinə "
        "zəng edin və ya portalda yenidən müraciət edin.\n\n" + _AZ_SIGNATURE,
        "((award_name)) başa çatıb, son ödəniş günü: ((end_on)). Səbəb: ((reason)). "
        "Ətraflı: ((portal_url))",
    ),
    ("award_ended", "en"): (
        "Your ((award_name)) has ended",
        "Dear ((name)),\n\n"
        "Your ((award_name)) has ended. The last day it is paid for is ((end_on)).\n\n"
        "Reason: ((reason)).\n\n"
        "You can see your pensions and benefits, past and current, on the portal: "
        "((portal_url))\n\n"
        "If you think this is a mistake, or if you are still entitled to it, call the 142 call "
        "centre or apply again on the portal.\n\n" + _EN_SIGNATURE,
        "Your ((award_name)) has ended; last day paid: ((end_on)). Reason: ((reason)). "
        "Details: ((portal_url))",
    ),
    ("award_ended", "ru"): (
        "Выплата прекращена: ((award_name))",
        "Уважаемый(ая) ((name)),\n\n"
        "Выплата «((award_name))» прекращена. Последний оплачиваемый день: ((end_on)).\n\n"
        "Причина: ((reason)).\n\n"
        "Ваши текущие и прошлые назначения доступны на портале: ((portal_url))\n\n"
        "Если вы считаете это ошибкой или у вас по-прежнему есть право на выплату, позвоните "
        "в колл-центр 142 или подайте заявление повторно на портале.\n\n" + _RU_SIGNATURE,
        "Выплата «((award_name))» прекращена, последний оплачиваемый день: ((end_on)). "
        "Причина: ((reason)). Подробнее: ((portal_url))",
    ),
    ("award_ended_child", "az"): (
        "((child_name)) üçün ((award_name)) başa çatıb",
        "Hörmətli ((name)),\n\n"
        "((child_name)) üçün təyin edilmiş ((award_name)) başa çatıb. Ödənişin son günü: "
        "((end_on)).\n\n"
        "Səbəb: ((reason)).\n\n"
        "Bu məktubu sizə uşağın valideyni kimi göndəririk. Uşaq təkrar müayinədən keçibsə və ya "
        "bunun səhv olduğunu düşünürsünüzsə, 142 Çağrı Mərkəzinə zəng edin.\n\n" + _AZ_SIGNATURE,
        "((child_name)) üçün ((award_name)) başa çatıb, son ödəniş günü: ((end_on)). "
        "Səbəb: ((reason)). Sual: 142",
    ),
    ("award_ended_child", "en"): (
        "((award_name)) for ((child_name)) has ended",
        "Dear ((name)),\n\n"
        "The ((award_name)) awarded to ((child_name)) has ended. The last day it is paid for is "
        "((end_on)).\n\n"
        "Reason: ((reason)).\n\n"
        "We are writing to you as the child's parent. If the child has been re-examined, or if "
        "you think this is a mistake, call the 142 call centre.\n\n" + _EN_SIGNATURE,
        "((award_name)) for ((child_name)) has ended; last day paid: ((end_on)). "
        "Reason: ((reason)). Questions: call 142",
    ),
    ("award_ended_child", "ru"): (
        "Выплата прекращена: ((award_name)) (ребёнок: ((child_name)))",
        "Уважаемый(ая) ((name)),\n\n"
        "Выплата «((award_name))», назначенная ребёнку ((child_name)), прекращена. "
        "Последний оплачиваемый день: ((end_on)).\n\n"
        "Причина: ((reason)).\n\n"
        "Мы пишем вам как родителю ребёнка. Если ребёнок прошёл повторное освидетельствование "
        "или вы считаете это ошибкой, позвоните в колл-центр 142.\n\n" + _RU_SIGNATURE,
        "Выплата «((award_name))» ребёнку ((child_name)) прекращена, последний оплачиваемый "
        "день: ((end_on)). Причина: ((reason)). Вопросы: 142",
    ),
    ("award_renewal_reminder", "az"): (
        "((award_name)) ((end_on)) tarixində başa çatır: yenidən müraciət edin",
        "Hörmətli ((name)),\n\n"
        "((award_name)) sizə ((end_on)) tarixinədək təyin edilib. Onu almağa davam etmək üçün "
        "bu tarixədək yenidən müraciət edin.\n\n"
        "Yeni müraciətiniz əvvəlki müraciətinizdəki cavablarla artıq doldurulub: onları "
        "yoxlayın, dəyişənləri düzəldin və göndərin: ((renew_url))\n\n"
        "Müraciət etməsəniz, ödənişlər ((end_on)) tarixindən sonra dayanacaq.\n\n" + _AZ_SIGNATURE,
        "((award_name)) ((end_on)) tarixində başa çatır. Yenidən müraciət edin (əvvəlki "
        "cavablarınız doldurulub): ((renew_url))",
    ),
    ("award_renewal_reminder", "en"): (
        "Your ((award_name)) ends on ((end_on)): apply again",
        "Dear ((name)),\n\n"
        "Your ((award_name)) is assigned until ((end_on)). To go on receiving it, apply again "
        "before then.\n\n"
        "Your new application is already filled in with the answers of your last one: check "
        "them, change what is different now, and send it: ((renew_url))\n\n"
        "If you do not apply, the payments stop after ((end_on)).\n\n" + _EN_SIGNATURE,
        "Your ((award_name)) ends on ((end_on)). Apply again (your last answers are filled "
        "in): ((renew_url))",
    ),
    ("award_renewal_reminder", "ru"): (
        "Выплата «((award_name))» заканчивается ((end_on)): подайте заявление снова",
        "Уважаемый(ая) ((name)),\n\n"
        "Выплата «((award_name))» назначена вам до ((end_on)). Чтобы продолжать её получать, "
        "подайте заявление снова до этой даты.\n\n"
        "Новое заявление уже заполнено ответами из вашего прошлого заявления: проверьте их, "
        "исправьте то, что изменилось, и отправьте: ((renew_url))\n\n"
        "Если вы не подадите заявление, выплаты прекратятся после ((end_on)).\n\n" + _RU_SIGNATURE,
        "Выплата «((award_name))» заканчивается ((end_on)). Подайте заявление снова (прошлые "
        "ответы уже заполнены): ((renew_url))",
    ),
    ("award_suspended", "az"): (
        "((award_name)) dayandırılıb",
        "Hörmətli ((name)),\n\n"
        "((award_name)) ödənişi ((suspended_on)) tarixindən dayandırılıb.\n\n"
        "Səbəb: ((reason))\n\n"
        "Təyinat ləğv edilməyib: səbəb aradan qalxdıqda ödəniş bərpa olunacaq və sizə məlumat "
        "veriləcək. Portalda baxa bilərsiniz: ((portal_url))\n\n"
        "Bunun səhv olduğunu düşünürsünüzsə, 142 Çağrı Mərkəzinə zəng edin.\n\n" + _AZ_SIGNATURE,
        "((award_name)) ödənişi ((suspended_on)) tarixindən dayandırılıb. Səbəb: ((reason)). "
        "Ətraflı: ((portal_url))",
    ),
    ("award_suspended", "en"): (
        "Your ((award_name)) is suspended",
        "Dear ((name)),\n\n"
        "Payment of your ((award_name)) is suspended from ((suspended_on)).\n\n"
        "Reason: ((reason))\n\n"
        "The award is not withdrawn: it is paid again once the reason no longer applies, and "
        "you will get a message. You can see it on the portal: ((portal_url))\n\n"
        "If you think this is a mistake, call the 142 call centre.\n\n" + _EN_SIGNATURE,
        "Payment of your ((award_name)) is suspended from ((suspended_on)). "
        "Reason: ((reason)). Details: ((portal_url))",
    ),
    ("award_suspended", "ru"): (
        "Выплата приостановлена: ((award_name))",
        "Уважаемый(ая) ((name)),\n\n"
        "Выплата «((award_name))» приостановлена с ((suspended_on)).\n\n"
        "Причина: ((reason))\n\n"
        "Назначение не отменено: выплата возобновится, когда причина отпадёт, и вы получите "
        "сообщение. Подробности на портале: ((portal_url))\n\n"
        "Если вы считаете это ошибкой, позвоните в колл-центр 142.\n\n" + _RU_SIGNATURE,
        "Выплата «((award_name))» приостановлена с ((suspended_on)). Причина: ((reason)). "
        "Подробнее: ((portal_url))",
    ),
    ("award_resumed", "az"): (
        "((award_name)) ödənişi bərpa edilib",
        "Hörmətli ((name)),\n\n"
        "((award_name)) ödənişi ((resumed_on)) tarixindən bərpa edilib.\n\n"
        "Səbəb: ((reason))\n\n"
        "Portalda baxa bilərsiniz: ((portal_url))\n\n" + _AZ_SIGNATURE,
        "((award_name)) ödənişi ((resumed_on)) tarixindən bərpa edilib. Ətraflı: ((portal_url))",
    ),
    ("award_resumed", "en"): (
        "Your ((award_name)) is paid again",
        "Dear ((name)),\n\n"
        "Payment of your ((award_name)) is resumed from ((resumed_on)).\n\n"
        "Reason: ((reason))\n\n"
        "You can see it on the portal: ((portal_url))\n\n" + _EN_SIGNATURE,
        "Payment of your ((award_name)) is resumed from ((resumed_on)). Details: ((portal_url))",
    ),
    ("award_resumed", "ru"): (
        "Выплата возобновлена: ((award_name))",
        "Уважаемый(ая) ((name)),\n\n"
        "Выплата «((award_name))» возобновлена с ((resumed_on)).\n\n"
        "Причина: ((reason))\n\n"
        "Подробности на портале: ((portal_url))\n\n" + _RU_SIGNATURE,
        "Выплата «((award_name))» возобновлена с ((resumed_on)). Подробнее: ((portal_url))",
    ),
    # To the employee: the register recorded a notification about their contract (§6: both
    # parties are informed within one working day).
    ("contract_registered", "az"): (
        "Əmək müqaviləniz reyestrdə qeydə alınıb",
        "Hörmətli ((name)),\n\n"
        "((employer_name)) əmək müqaviləniz barədə bildiriş təqdim edib: ((notice)).\n"
        "Müqavilənin nömrəsi: ((contract_number)); qüvvəyə minir: ((effective_on)).\n\n"
        "Müqavilələriniz portalda: ((portal_url))\n\n"
        "Məlumat səhvdirsə, portalda etiraz edə bilərsiniz.\n\n" + _AZ_SIGNATURE,
        "((employer_name)) müqaviləniz barədə bildiriş verib: ((notice)), ((effective_on)). "
        "((portal_url))",
    ),
    ("contract_registered", "en"): (
        "Your employment contract was registered",
        "Dear ((name)),\n\n"
        "((employer_name)) notified the register about your contract: ((notice)).\n"
        "Contract number: ((contract_number)); in effect from ((effective_on)).\n\n"
        "Your contracts on the portal: ((portal_url))\n\n"
        "If anything is wrong, you can dispute the entry on the portal.\n\n" + _EN_SIGNATURE,
        "((employer_name)) notified your contract: ((notice)), ((effective_on)). ((portal_url))",
    ),
    ("contract_registered", "ru"): (
        "Ваш трудовой договор зарегистрирован",
        "Уважаемый(ая) ((name)),\n\n"
        "((employer_name)) подал(о) уведомление о вашем трудовом договоре: ((notice)).\n"
        "Номер договора: ((contract_number)); действует с ((effective_on)).\n\n"
        "Ваши договоры на портале: ((portal_url))\n\n"
        "Если сведения неверны, вы можете оспорить запись на портале.\n\n" + _RU_SIGNATURE,
        "((employer_name)) уведомил(о) о вашем договоре: ((notice)), ((effective_on)). "
        "((portal_url))",
    ),
    # To the representative who notified: the register's confirmation to the employer.
    ("contract_confirmed", "az"): (
        "Bildiriş qeydə alınıb: ((employer_name))",
        "Hörmətli ((name)),\n\n"
        "((employer_name)) adından təqdim etdiyiniz bildirişlər reyestrdə qeydə alınıb: "
        "((count)) müqavilə (((notice))).\n\n"
        "İşəgötürən səhifəsində baxın: ((portal_url))\n\n" + _AZ_SIGNATURE,
        "((employer_name)): ((count)) bildiriş qeydə alınıb (((notice))). ((portal_url))",
    ),
    ("contract_confirmed", "en"): (
        "Notification registered: ((employer_name))",
        "Dear ((name)),\n\n"
        "The notifications you submitted for ((employer_name)) are registered: "
        "((count)) contract(s) (((notice))).\n\n"
        "See them on the employer's pages: ((portal_url))\n\n" + _EN_SIGNATURE,
        "((employer_name)): ((count)) notification(s) registered (((notice))). ((portal_url))",
    ),
    ("contract_confirmed", "ru"): (
        "Уведомление зарегистрировано: ((employer_name))",
        "Уважаемый(ая) ((name)),\n\n"
        "Уведомления, поданные вами от имени ((employer_name)), зарегистрированы: "
        "договоров — ((count)) (((notice))).\n\n"
        "Смотрите на страницах работодателя: ((portal_url))\n\n" + _RU_SIGNATURE,
        "((employer_name)): зарегистрировано уведомлений — ((count)) (((notice))). ((portal_url))",
    ),
    # To the citizen who disputed an entry of the contracts register: the inspection decided.
    ("contract_dispute_decided", "az"): (
        "Etirazınıza baxılıb: ((dispute_reference))",
        "Hörmətli ((name)),\n\n"
        "((employer_name)) ilə ((contract_number)) nömrəli əmək müqaviləsi barədə etirazınıza "
        "əmək müfəttişliyi baxıb.\n"
        "Nəticə: ((outcome)).\n"
        "Müfəttişin qeydi: ((note))\n\n"
        "Müqavilələriniz portalda: ((portal_url))\n\n" + _AZ_SIGNATURE,
        "((dispute_reference)) etirazınıza baxılıb: ((outcome)). ((portal_url))",
    ),
    ("contract_dispute_decided", "en"): (
        "Your dispute was decided: ((dispute_reference))",
        "Dear ((name)),\n\n"
        "The labour inspection examined your dispute of employment contract "
        "((contract_number)) with ((employer_name)).\n"
        "Outcome: ((outcome)).\n"
        "The inspector's note: ((note))\n\n"
        "Your contracts on the portal: ((portal_url))\n\n" + _EN_SIGNATURE,
        "Your dispute ((dispute_reference)) was decided: ((outcome)). ((portal_url))",
    ),
    ("contract_dispute_decided", "ru"): (
        "Ваша жалоба рассмотрена: ((dispute_reference))",
        "Уважаемый(ая) ((name)),\n\n"
        "Трудовая инспекция рассмотрела вашу жалобу на запись о трудовом договоре "
        "((contract_number)) с ((employer_name)).\n"
        "Результат: ((outcome)).\n"
        "Примечание инспектора: ((note))\n\n"
        "Ваши договоры на портале: ((portal_url))\n\n" + _RU_SIGNATURE,
        "Ваша жалоба ((dispute_reference)) рассмотрена: ((outcome)). ((portal_url))",
    ),
    # Registration with the employment service (docs/domain.md §8).
    ("job_seeker_registered", "az"): (
        "Məşğulluq xidmətində qeydiyyata alındınız",
        "Hörmətli ((name)),\n\n"
        "((registered_on)) tarixindən məşğulluq xidmətində qeydiyyatdasınız. "
        "Statusunuz: ((status)).\n((reason))\n\n"
        "Sizə uyğun vakansiyalar və qeydiyyatınız portalda: ((portal_url))\n\n" + _AZ_SIGNATURE,
        "Məşğulluq xidmətində qeydiyyatdasınız: ((status)). ((portal_url))",
    ),
    ("job_seeker_registered", "en"): (
        "You are registered with the employment service",
        "Dear ((name)),\n\n"
        "You are registered with the employment service from ((registered_on)). "
        "Your status: ((status)).\n((reason))\n\n"
        "Vacancies for you and your registration on the portal: ((portal_url))\n\n" + _EN_SIGNATURE,
        "You are registered with the employment service: ((status)). ((portal_url))",
    ),
    ("job_seeker_registered", "ru"): (
        "Вы зарегистрированы в службе занятости",
        "Уважаемый(ая) ((name)),\n\n"
        "С ((registered_on)) вы зарегистрированы в службе занятости. "
        "Ваш статус: ((status)).\n((reason))\n\n"
        "Подходящие вакансии и ваша регистрация на портале: ((portal_url))\n\n" + _RU_SIGNATURE,
        "Вы зарегистрированы в службе занятости: ((status)). ((portal_url))",
    ),
    ("job_seeker_ended", "az"): (
        "Məşğulluq xidmətində qeydiyyatınız başa çatıb",
        "Hörmətli ((name)),\n\n"
        "((ended_on)) tarixindən məşğulluq xidmətində qeydiyyatınız başa çatıb.\n"
        "Səbəb: ((reason))\n\n"
        "Yenidən qeydiyyatdan keçmək və ya etiraz etmək üçün: ((portal_url))\n\n" + _AZ_SIGNATURE,
        "Məşğulluq xidmətində qeydiyyatınız ((ended_on)) başa çatıb: ((reason)). ((portal_url))",
    ),
    ("job_seeker_ended", "en"): (
        "Your registration with the employment service ended",
        "Dear ((name)),\n\n"
        "Your registration with the employment service ended on ((ended_on)).\n"
        "Reason: ((reason))\n\n"
        "To register again or to dispute this: ((portal_url))\n\n" + _EN_SIGNATURE,
        "Your employment-service registration ended on ((ended_on)): ((reason)). ((portal_url))",
    ),
    ("job_seeker_ended", "ru"): (
        "Ваша регистрация в службе занятости прекращена",
        "Уважаемый(ая) ((name)),\n\n"
        "С ((ended_on)) ваша регистрация в службе занятости прекращена.\n"
        "Причина: ((reason))\n\n"
        "Чтобы зарегистрироваться снова или обжаловать: ((portal_url))\n\n" + _RU_SIGNATURE,
        "Регистрация в службе занятости прекращена ((ended_on)): ((reason)). ((portal_url))",
    ),
    ("referral_issued", "az"): (
        "Vakansiyaya göndəriş: ((vacancy_title))",
        "Hörmətli ((name)),\n\n"
        "Məşğulluq mərkəzi sizi ((employer_name)) işəgötürənin ((vacancy_title)) vakansiyasına "
        "göndərib.\nİş yeri: ((workplace)); əmək haqqı: ((salary)).\n\n"
        "İşəgötürənə müraciət edin. Uyğun işdən imtina işsiz statusunun itirilməsinə səbəb ola "
        "bilər.\n\nGöndərişləriniz portalda: ((portal_url))\n\n" + _AZ_SIGNATURE,
        "Vakansiyaya göndəriş: ((vacancy_title)), ((employer_name)). ((portal_url))",
    ),
    ("referral_issued", "en"): (
        "Referral to a vacancy: ((vacancy_title))",
        "Dear ((name)),\n\n"
        "The employment centre referred you to the vacancy ((vacancy_title)) at "
        "((employer_name)).\nPlace of work: ((workplace)); salary: ((salary)).\n\n"
        "Please contact the employer. Refusing a suitable job may end your unemployed status."
        "\n\nYour referrals on the portal: ((portal_url))\n\n" + _EN_SIGNATURE,
        "Referral to a vacancy: ((vacancy_title)), ((employer_name)). ((portal_url))",
    ),
    ("referral_issued", "ru"): (
        "Направление на вакансию: ((vacancy_title))",
        "Уважаемый(ая) ((name)),\n\n"
        "Центр занятости направил вас на вакансию ((vacancy_title)) работодателя "
        "((employer_name)).\nМесто работы: ((workplace)); зарплата: ((salary)).\n\n"
        "Обратитесь к работодателю. Отказ от подходящей работы может прекратить статус "
        "безработного.\n\nВаши направления на портале: ((portal_url))\n\n" + _RU_SIGNATURE,
        "Направление на вакансию: ((vacancy_title)), ((employer_name)). ((portal_url))",
    ),
    # Proactive (docs/domain.md §8): the law requires registration as unemployed before the
    # benefit, so it is offered with a pre-filled application, not granted.
    ("unemployment_benefit_offered", "az"): (
        "İşsizlikdən sığorta ödənişi hüququnuz ola bilər",
        "Hörmətli ((name)),\n\n"
        "((employer_name)) ilə əmək müqaviləniz ((terminated_on)) tarixində xitam olunub "
        "(((ground))). Bu əsas işsizlikdən sığorta ödənişi hüququ verir.\n\n"
        "1. İşsiz kimi qeydiyyatdan keçin: ((register_url))\n"
        "2. Əvvəlcədən doldurulmuş müraciəti təsdiqləyin: ((apply_url))\n\n"
        "Məbləğ sığorta stajınız və əmək haqqınız əsasında hesablanır.\n\n" + _AZ_SIGNATURE,
        "İşsizlikdən sığorta ödənişi üçün müraciət edə bilərsiniz: ((apply_url))",
    ),
    ("unemployment_benefit_offered", "en"): (
        "You may be entitled to the unemployment insurance benefit",
        "Dear ((name)),\n\n"
        "Your employment contract with ((employer_name)) ended on ((terminated_on)) "
        "(((ground))). This ground gives a right to the unemployment insurance benefit.\n\n"
        "1. Register as unemployed: ((register_url))\n"
        "2. Confirm the pre-filled application: ((apply_url))\n\n"
        "The amount is computed from your insurance record and wages.\n\n" + _EN_SIGNATURE,
        "You may apply for the unemployment insurance benefit: ((apply_url))",
    ),
    ("unemployment_benefit_offered", "ru"): (
        "Возможно, вам положена выплата по страхованию от безработицы",
        "Уважаемый(ая) ((name)),\n\n"
        "Ваш трудовой договор с ((employer_name)) прекращён ((terminated_on)) "
        "(((ground))). Это основание даёт право на выплату по страхованию от безработицы.\n\n"
        "1. Зарегистрируйтесь как безработный: ((register_url))\n"
        "2. Подтвердите заранее заполненное заявление: ((apply_url))\n\n"
        "Сумма рассчитывается по страховому стажу и заработку.\n\n" + _RU_SIGNATURE,
        "Вы можете подать заявление на выплату по безработице: ((apply_url))",
    ),
    # The disability register (docs/domain.md §4): referral, examination, decision, reminder.
    ("disability_referral", "az"): (
        "Tibbi-sosial ekspert komissiyasına göndəriş: ((referral_number))",
        "Hörmətli ((name)),\n\n"
        "((examination)) üçün göndərişiniz (((referral_number))) ekspert komissiyasına "
        "təhvil verilib. Komissiya qərarı ((due_on)) tarixinədək verir.\n\n"
        "Göndərişin vəziyyəti portalda: ((portal_url))\n\n" + _AZ_SIGNATURE,
        "Göndərişiniz ((referral_number)) komissiyadadır; qərar ((due_on)) tarixinədək. "
        "((portal_url))",
    ),
    ("disability_referral", "en"): (
        "Referral to the medical-social expert commission: ((referral_number))",
        "Dear ((name)),\n\n"
        "Your referral (((referral_number))) for the ((examination)) is with an expert "
        "commission. The commission decides by ((due_on)).\n\n"
        "The referral's status on the portal: ((portal_url))\n\n" + _EN_SIGNATURE,
        "Your referral ((referral_number)) is with a commission; decision by ((due_on)). "
        "((portal_url))",
    ),
    ("disability_referral", "ru"): (
        "Направление в медико-социальную экспертную комиссию: ((referral_number))",
        "Уважаемый(ая) ((name)),\n\n"
        "Ваше направление (((referral_number))) — ((examination)) — передано в экспертную "
        "комиссию. Комиссия примет решение до ((due_on)).\n\n"
        "Состояние направления на портале: ((portal_url))\n\n" + _RU_SIGNATURE,
        "Ваше направление ((referral_number)) в комиссии; решение до ((due_on)). ((portal_url))",
    ),
    ("disability_examination", "az"): (
        "Ekspert komissiyasında müayinə: ((held_on))",
        "Hörmətli ((name)),\n\n"
        "((referral_number)) nömrəli göndəriş üzrə müayinə üçün ((held_on)) saat ((starts_at)) "
        "((place)) ünvanına gəlməyiniz xahiş olunur. Şəxsiyyət vəsiqənizi və tibbi "
        "sənədlərinizi götürün.\n\n((portal_url))\n\n" + _AZ_SIGNATURE,
        "TSEK müayinəsi: ((held_on)) saat ((starts_at)), ((place)). Şəxsiyyət vəsiqənizi götürün.",
    ),
    ("disability_examination", "en"): (
        "Examination by the expert commission: ((held_on))",
        "Dear ((name)),\n\n"
        "For referral ((referral_number)) please come to ((place)) on ((held_on)) at "
        "((starts_at)) for your examination. Bring your identity card and your medical "
        "documents.\n\n((portal_url))\n\n" + _EN_SIGNATURE,
        "Commission examination: ((held_on)) at ((starts_at)), ((place)). Bring your ID card.",
    ),
    ("disability_examination", "ru"): (
        "Освидетельствование в экспертной комиссии: ((held_on))",
        "Уважаемый(ая) ((name)),\n\n"
        "По направлению ((referral_number)) просим прийти ((held_on)) в ((starts_at)) по адресу: "
        "((place)). Возьмите удостоверение личности и медицинские документы.\n\n"
        "((portal_url))\n\n" + _RU_SIGNATURE,
        "Освидетельствование МСЭК: ((held_on)) в ((starts_at)), ((place)). Возьмите удостоверение.",
    ),
    ("disability_decision", "az"): (
        "Ekspert komissiyasının qərarı",
        "Hörmətli ((name)),\n\n"
        "((referral_number)) nömrəli göndəriş üzrə ekspert komissiyasının qərarı: ((result)).\n"
        "((reexamination))\n((payments))\n\n"
        "Qərarın imzalanmış çıxarışı və ondan bir ay ərzində şikayət etmək imkanı portalda: "
        "((portal_url))\n\n" + _AZ_SIGNATURE,
        "TSEK qərarı: ((result)). ((reexamination)) Çıxarış: ((portal_url))",
    ),
    ("disability_decision", "en"): (
        "The expert commission's decision",
        "Dear ((name)),\n\n"
        "The expert commission's decision on referral ((referral_number)): ((result)).\n"
        "((reexamination))\n((payments))\n\n"
        "The signed extract of the decision, and the appeal you may lodge within one month, "
        "on the portal: ((portal_url))\n\n" + _EN_SIGNATURE,
        "Commission decision: ((result)). ((reexamination)) Extract: ((portal_url))",
    ),
    ("disability_decision", "ru"): (
        "Решение экспертной комиссии",
        "Уважаемый(ая) ((name)),\n\n"
        "Решение экспертной комиссии по направлению ((referral_number)): ((result)).\n"
        "((reexamination))\n((payments))\n\n"
        "Подписанная выписка из решения и обжалование в течение месяца — на портале: "
        "((portal_url))\n\n" + _RU_SIGNATURE,
        "Решение МСЭК: ((result)). ((reexamination)) Выписка: ((portal_url))",
    ),
    ("disability_reminder", "az"): (
        "Təkrar müayinə tarixiniz yaxınlaşır",
        "Hörmətli ((name)),\n\n"
        "Əlilliyinizin təkrar müayinə tarixi ((reexamine_on))-dir. Poliklinikanızdan göndəriş "
        "alın və ya portalda təkrar müayinə üçün müraciət edin: ((portal_url))\n\n"
        "Təkrar müayinə keçirilmədikdə ödənişlər güzəşt müddətindən sonra dayanır.\n\n"
        + _AZ_SIGNATURE,
        "Təkrar müayinə tarixiniz: ((reexamine_on)). Müraciət: ((portal_url))",
    ),
    ("disability_reminder", "en"): (
        "Your re-examination date is near",
        "Dear ((name)),\n\n"
        "Your disability is due to be re-examined on ((reexamine_on)). Get a referral from your "
        "polyclinic or ask for the re-examination on the portal: ((portal_url))\n\n"
        "Without a re-examination your payments stop after the grace period.\n\n" + _EN_SIGNATURE,
        "Your re-examination is due on ((reexamine_on)). Ask for it: ((portal_url))",
    ),
    ("disability_reminder", "ru"): (
        "Приближается дата переосвидетельствования",
        "Уважаемый(ая) ((name)),\n\n"
        "Дата переосвидетельствования по инвалидности: ((reexamine_on)). Получите направление "
        "в поликлинике или подайте заявку на портале: ((portal_url))\n\n"
        "Без переосвидетельствования выплаты прекратятся после льготного срока.\n\n"
        + _RU_SIGNATURE,
        "Переосвидетельствование: ((reexamine_on)). Заявка: ((portal_url))",
    ),
    # Payments: an overpayment withheld from later payments, or claimed from the estate.
    ("overpayment_recovery", "az"): (
        "Artıq ödənilmiş məbləğ",
        "Hörmətli ((name)),\n\n"
        "((months)) ayı üzrə sizə ((amount)) məbləğində artıq ödəniş edilib: təyinat həmin "
        "dövrdə artıq qüvvədə deyildi.\n\n"
        "Bu məbləğ növbəti ödənişlərinizdən tutulacaq, hər ödənişin ((share))%-dən çox "
        "olmamaqla. Ödənişlərinizə portalda baxa bilərsiniz: ((portal_url))\n\n"
        "Razı deyilsinizsə, 142 Çağrı Mərkəzinə zəng edin.\n\n" + _AZ_SIGNATURE,
        "((months)) üzrə ((amount)) artıq ödənilib; növbəti ödənişlərdən ((share))%-dən çox "
        "olmamaqla tutulacaq. Ətraflı: ((portal_url))",
    ),
    ("overpayment_recovery", "en"): (
        "An amount paid to you in excess",
        "Dear ((name)),\n\n"
        "For ((months)) you were paid ((amount)) more than was due: the award no longer "
        "covered that period.\n\n"
        "This amount will be withheld from your next payments, never more than ((share))% of "
        "any one payment. You can see your payments on the portal: ((portal_url))\n\n"
        "If you disagree, call the 142 call centre.\n\n" + _EN_SIGNATURE,
        "((amount)) was overpaid for ((months)); it will be withheld from your next payments, "
        "at most ((share))% of each. Details: ((portal_url))",
    ),
    ("overpayment_recovery", "ru"): (
        "Излишне выплаченная сумма",
        "Уважаемый(ая) ((name)),\n\n"
        "За ((months)) вам излишне выплачено ((amount)): назначение в этот период уже не "
        "действовало.\n\n"
        "Эта сумма будет удержана из следующих выплат, не более ((share))% каждой выплаты. "
        "Ваши выплаты — на портале: ((portal_url))\n\n"
        "Если вы не согласны, позвоните в колл-центр 142.\n\n" + _RU_SIGNATURE,
        "За ((months)) излишне выплачено ((amount)); удержим из следующих выплат, не более "
        "((share))% каждой. Подробнее: ((portal_url))",
    ),
    ("overpayment_estate", "az"): (
        "((deceased_name)) adına ölümdən sonra edilmiş ödəniş",
        "Hörmətli ((name)),\n\n"
        "Başsağlığı veririk. ((deceased_name)) ((died_on)) tarixində vəfat edib; bundan sonra "
        "((months)) ayı üzrə onun hesabına ((amount)) ödənilib.\n\n"
        "Bu məbləğ mərhumun əmlakından qaytarılmalıdır. Zəhmət olmasa, onu Nazirliyin "
        "((repay_iban)) hesabına köçürün və ya 142 Çağrı Mərkəzinə zəng edin.\n\n" + _AZ_SIGNATURE,
        "((deceased_name)) vəfatından sonra ((months)) üzrə ((amount)) ödənilib. Qaytarılması: "
        "((repay_iban)). Sual üçün: 142",
    ),
    ("overpayment_estate", "en"): (
        "A payment made after the death of ((deceased_name))",
        "Dear ((name)),\n\n"
        "Please accept our condolences. ((deceased_name)) died on ((died_on)); after that, "
        "((amount)) was paid to their account for ((months)).\n\n"
        "This amount is to be returned from the estate. Please transfer it to the Ministry's "
        "account ((repay_iban)) or call the 142 call centre.\n\n" + _EN_SIGNATURE,
        "After the death of ((deceased_name)), ((amount)) was paid for ((months)). Return it "
        "to ((repay_iban)). Questions: 142",
    ),
    ("overpayment_estate", "ru"): (
        "Выплата после смерти: ((deceased_name))",
        "Уважаемый(ая) ((name)),\n\n"
        "Примите наши соболезнования. ((deceased_name)) скончался(ась) ((died_on)); после "
        "этого на его (её) счёт за ((months)) выплачено ((amount)).\n\n"
        "Эта сумма подлежит возврату из наследственного имущества. Перечислите её на счёт "
        "Министерства ((repay_iban)) или позвоните в колл-центр 142.\n\n" + _RU_SIGNATURE,
        "После смерти ((deceased_name)) за ((months)) выплачено ((amount)). Возврат: "
        "((repay_iban)). Вопросы: 142",
    ),
}


# (event, language) → the versions after the first, oldest first. Append a revision here (and
# a migration that runs `templates_seed`); never change one that was published.
REVISIONS: dict[tuple[str, str], tuple[Texts, ...]] = {
    # Version 2: the letter names the bank branch that pays the award.
    ("proactive_award", "az"): (
        (
            "Sizə ((award_name)) təyin edilib",
            "Hörmətli ((name)),\n\n"
            "Dövlət reyestrlərindəki məlumatlar əsasında sizə müraciət etmədən ((award_name)) "
            "təyin edilib. Məbləğ: ((amount)). Ödəniş ((start_on)) tarixindən başlayır.\n\n"
            "Ödənişi edən bank filialı: ((bank_branch)).\n\n"
            "Hesablamanın təfərrüatlarına portalda baxa bilərsiniz: ((portal_url))\n\n"
            "Məlumatlarda səhv görürsünüzsə, 142 Çağrı Mərkəzinə zəng edin.\n\n" + _AZ_SIGNATURE,
            "Sizə müraciətsiz ((award_name)) təyin edilib: ((amount)), ((start_on)) tarixindən. "
            "Bank: ((bank_branch)). Ətraflı: ((portal_url))",
        ),
    ),
    ("proactive_award", "en"): (
        (
            "You have been awarded ((award_name))",
            "Dear ((name)),\n\n"
            "Based on the information in the state registers, you have been awarded "
            "((award_name)) without having to apply. Amount: ((amount)). "
            "Payments start on ((start_on)).\n\n"
            "The bank branch that pays it: ((bank_branch)).\n\n"
            "You can see how it was calculated on the portal: ((portal_url))\n\n"
            "If any of the information is wrong, call the 142 call centre.\n\n" + _EN_SIGNATURE,
            "You have been awarded ((award_name)) without applying: ((amount)) from ((start_on)). "
            "Bank: ((bank_branch)). Details: ((portal_url))",
        ),
    ),
    ("proactive_award", "ru"): (
        (
            "Вам назначено: ((award_name))",
            "Уважаемый(ая) ((name)),\n\n"
            "На основании сведений государственных реестров вам без подачи заявления назначено: "
            "((award_name)). Сумма: ((amount)). Выплаты начинаются с ((start_on)).\n\n"
            "Выплату производит отделение банка: ((bank_branch)).\n\n"
            "Подробности расчёта доступны на портале: ((portal_url))\n\n"
            "Если в сведениях есть ошибка, позвоните в колл-центр 142.\n\n" + _RU_SIGNATURE,
            "Вам без заявления назначено: ((award_name)), ((amount)) с ((start_on)). "
            "Банк: ((bank_branch)). Подробнее: ((portal_url))",
        ),
    ),
}


def template_versions() -> dict[tuple[str, str], tuple[Texts, ...]]:
    """Every shipped version of each (event, language), oldest first."""
    return {key: (first, *REVISIONS.get(key, ())) for key, first in SEED.items()}


def templates_seed(template_model: Any) -> int:
    """Add the shipped versions a database lacks; return how many rows were written.

    For each (event, language), the shipped versions after the newest one already present (found
    by its wording) are written as the next version numbers. A version an operator saved in the
    admin is never changed; a later shipped revision becomes newer than it.
    """
    created = 0
    for (event, language), versions in template_versions().items():
        rows = template_model.objects.filter(event=event, language=language)
        present = {
            tuple(texts) for texts in rows.values_list("email_subject", "email_text", "sms_text")
        }
        newest = max(rows.values_list("version", flat=True), default=0)
        shipped = max((i + 1 for i, texts in enumerate(versions) if texts in present), default=0)
        for subject, text, sms in versions[shipped:]:
            newest += 1
            template_model.objects.create(
                event=event,
                language=language,
                version=newest,
                email_subject=subject,
                email_text=text,
                email_html="",
                sms_text=sms,
            )
            created += 1
    return created
