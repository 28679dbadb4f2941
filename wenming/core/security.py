from functools import wraps

from django.conf import settings


class SecurityHeadersMiddleware:
    """Content-Security-Policy without inline scripts or styles, plus the permissions policy; every download (a
    response with Content-Disposition: exports, archives, files) is kept out of caches (`private, no-store`) unless
    its view says otherwise.

    X-Frame-Options, nosniff, Referrer-Policy and HSTS come from Django's own middleware and settings.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = "; ".join(f"{name} {value}" for name, value in settings.WENMING_CSP.items())

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if "Content-Disposition" in response.headers:
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response


def csp_relaxed(**directives):
    """A view whose third-party page needs more (e.g. Swagger UI sets inline styles); scripts stay strict."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            policy = {**settings.WENMING_CSP, **{name.replace("_", "-"): value for name, value in directives.items()}}
            response.headers["Content-Security-Policy"] = "; ".join(f"{name} {value}" for name, value in policy.items())
            return response

        return wrapped

    return decorator
