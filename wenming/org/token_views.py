"""API 令牌: each person issues, lists and revokes their own tokens. The key is shown once, on the issuing page."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from wenming.core.forms import add_errors
from wenming.core.trail import Origin
from wenming.org import services
from wenming.org.models import ApiToken


class TokenIssueForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("用途"), max_length=60,
                           help_text=gettext_lazy("写明哪个系统使用此令牌，例如“办公系统对接”。"))


@never_cache
@login_required
def token_list(request):
    form = TokenIssueForm(request.POST or None)
    issued_key = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _token, issued_key = services.api_token_issue(
                    actor=request.user, user=request.user, name=form.cleaned_data["name"],
                    origin=Origin.from_request(request))
            except ValidationError as error:
                add_errors(form, error)
            else:
                form = TokenIssueForm()
        if issued_key is None:
            status = 400
    tokens = list(request.user.api_tokens.all())
    context = {"form": form, "tokens": tokens, "issued_key": issued_key, "now": timezone.now(),
               "token_days": settings.WENMING_API_TOKEN_DAYS}
    return render(request, "org/tokens.html", context, status=status)


@require_POST
@login_required
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.api_token_revoke(actor=request.user, token=token, origin=Origin.from_request(request))
    messages.success(request, _("已作废令牌“%(name)s”，使用它的系统将无法再访问。") % {"name": token.name})
    return redirect("org:tokens")
