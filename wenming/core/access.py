"""Access helpers: outside a person's scope answers 404, inside but read-only answers 403."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404


def get_for_user(visible: QuerySet, editable: QuerySet | None, pk, *, need_edit: bool = False) -> tuple[Model, bool]:
    """Fetch one object through the access path. Returns (object, can_edit).

    `visible` and `editable` are `Model.objects.visible_to(user)` and `.editable_by(user)`.
    """
    try:
        obj = visible.get(pk=pk)
    except (visible.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    can_edit = editable is not None and editable.filter(pk=obj.pk).exists()
    if need_edit and not can_edit:
        raise PermissionDenied
    return obj, can_edit


def role_required(*roles: str) -> Callable:
    """A signed-in person holding one of `roles`; others get 403, anonymous visitors the sign-in page."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if request.user.unit_id is None or not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
