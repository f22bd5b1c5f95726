"""(being written)"""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404
worklist = referral = decision_edit = sign = extend = book = identity = _todo
