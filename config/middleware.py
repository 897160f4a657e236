"""The UI language is Vietnamese unless the user chose English, whatever the browser asks for.

Commune offices often run browsers installed in English; the Association's staff still expect the
system in Vietnamese. Django's LocaleMiddleware honours the language cookie (set by the language
switch) and then the browser's Accept-Language header: this middleware, placed before it, removes
the header so that the fallback is LANGUAGE_CODE ("vi").
"""


class IgnoreBrowserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
