"""Demo: the built-in 市级文明单位测评细则（机关·法院）, published, for 某某市人民法院 (idempotent)."""

from wenming.org.demo import COURT
from wenming.org.models import Unit, User
from wenming.standards import library, services
from wenming.standards.models import Standard

TEMPLATE = "city-court"


def load() -> list:
    court = Unit.objects.filter(name=COURT).first()
    if court is None:
        return []
    template = library.get(TEMPLATE)
    if template is None or Standard.objects.filter(unit=court, source=f"内置模板：{template.name}").exists():
        return []
    actor = User.objects.filter(username="office", unit=court).first()
    services.standard_load_library(actor=actor, unit=court, key=TEMPLATE, publish=True)
    return []
