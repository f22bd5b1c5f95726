"""The QR code's short, language-neutral address: /V/<code> (any case) → the check page.

Mounted outside the language prefix (meis/urls.py). The redirect looks nothing up: the check page
it leads to counts the check against the address's rate limit and answers an unknown or
malformed code with the same 404 page, so this route neither bypasses the limit nor tells codes
apart.
"""

from django.urls import re_path

from meis.certificates import views

app_name = "certificates_short"
urlpatterns = [
    re_path(r"^[vV]/(?P<code>[^/]+)/?$", views.verify_short, name="verify_short"),
]
