import uuid
from functools import wraps

from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.utils.cache import patch_vary_headers


class RequestIdMiddleware:
    """Gives each request an id, echoed in the response and written on audit rows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming[:64] if incoming.isascii() and incoming else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


def session_passive(view):
    """Marks a background fetch (the header bell): it reads the session but never saves it, so it neither keeps an
    idle browser signed in past the security policy's timeout nor competes with the page's own session write."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.session_passive = True
        return view(request, *args, **kwargs)

    return wrapper


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware, except that views marked `session_passive` leave the session as it was."""

    def process_response(self, request, response):
        if getattr(request, "session_passive", False):
            patch_vary_headers(response, ("Cookie",))
            return response
        return super().process_response(request, response)
