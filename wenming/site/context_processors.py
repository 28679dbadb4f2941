from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wenming.campaigns.shell import header_context
from wenming.org.roles import Role

# (label, url name, icon, roles that see it; None = everyone signed in), in sidebar order. Later apps add their
# modules through `nav = [(order, label, url name, icon, roles), ...]` on their AppConfig; `order` places them
# among these, which count 10, 20, 30, … from the top (回收站 and 审计日志 stay last).
CORE_MODULES = [
    (_("工作台"), "home", "layout-dashboard", None),
    (_("人员"), "org:people", "users", None),
    (_("部门"), "org:departments", "network", None),
    (_("安全策略"), "org:security_policy", "shield-check", {Role.SECURITY}),
    (_("我的工作"), "campaigns:my_work", "clipboard-check", {Role.OFFICE, Role.LEADER, Role.LIAISON, Role.STAFF}),
    (_("任务"), "campaigns:current_tasks", "list-checks", {Role.OFFICE, Role.LEADER, Role.LIAISON, Role.STAFF}),
    (_("创建活动"), "campaigns:list", "flag", {Role.OFFICE, Role.LEADER, Role.LIAISON, Role.STAFF}),
    (_("创建材料"), "evidence:index", "folder-open", {Role.OFFICE, Role.LEADER, Role.LIAISON, Role.STAFF}),
    (_("查漏补缺"), "evidence:gaps_index", "circle-alert", {Role.OFFICE, Role.LEADER, Role.LIAISON, Role.STAFF}),
    (_("迎检档案"), "evidence:archive_index", "stamp", {Role.OFFICE, Role.LEADER}),
    (_("测评体系"), "standards:list", "book-open-check", {Role.OFFICE, Role.LEADER, Role.LIAISON, Role.STAFF, Role.EVALUATOR}),
    (_("回收站"), "recycle_bin", "trash-2", {Role.OFFICE}),
    (_("审计日志"), "audit:events", "scroll-text", {Role.AUDITOR}),
]


_modules = None


def modules():
    """The sidebar: the core modules and every app's `nav`, sorted by order (built once)."""
    global _modules
    if _modules is None:
        from django.apps import apps

        entries = [(index * 10, *module) for index, module in enumerate(CORE_MODULES, start=1)]
        entries[-2:] = [(900 + index, *module[1:]) for index, module in enumerate(entries[-2:])]
        for config in apps.get_app_configs():
            entries.extend(getattr(config, "nav", ()))
        _modules = [entry[1:] for entry in sorted(entries, key=lambda entry: entry[0])]
    return _modules


_resolved: dict = {}


def resolved_modules() -> list[tuple[str, str, str, frozenset | None]]:
    """The sidebar with labels translated and URLs reversed, once per language, script prefix and URLconf: every
    page draws it, and two dozen reverse() and gettext calls a request were a third of an empty page's time."""
    key = (get_language(), get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    found = _resolved.get(key)
    if found is None:
        found = _resolved[key] = [
            (str(label), reverse(url_name), icon, frozenset(roles) if roles is not None else None)
            for label, url_name, icon, roles in modules()
        ]
    return found


def shell(request):
    """The sidebar modules for this person and the campaign shown in the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "htmx", False):
        return {}  # htmx fragments never draw the shell
    path = request.path
    nav = []
    for label, url, icon, roles in resolved_modules():
        if roles is not None and not user.has_role(*roles):
            continue
        active = path == url if url == "/" else path.startswith(url)
        nav.append({"label": label, "url": url, "icon": icon, "active": active})
    matches = [item for item in nav if item["active"]]
    if len(matches) > 1:  # /campaigns/my/ lights 我的工作, not also 创建活动: only the most specific match
        best = max(matches, key=lambda item: len(item["url"]))
        for item in matches:
            item["active"] = item is best
    return {"nav": nav, "nav_html": nav_html(nav), **header_context(request)}


_nav_html: dict = {}


def nav_html(nav: list[dict]):
    """The sidebar's links as markup, built once per language and set of links (a few dozen shapes in all)."""
    key = (get_language(), tuple((item["url"], item["active"]) for item in nav))
    found = _nav_html.get(key)
    if found is None:
        from django.utils.html import format_html_join
        from django.utils.safestring import mark_safe

        from wenming.core.templatetags.wenming import icon

        found = format_html_join("", '<a href="{}" class="nav-item{}"{}>{}<span>{}</span></a>', (
            (item["url"], " active" if item["active"] else "",
             mark_safe(' aria-current="page"') if item["active"] else "", icon(item["icon"]), item["label"])
            for item in nav))
        if len(_nav_html) < 1000:
            _nav_html[key] = found
    return found
