from wenming.campaigns.tests.permissions import task_of_b
from wenming.core.recycle import recycle_delete
from wenming.testing.matrix import SIGNED_IN, Expect, each, page_for


def binned_task(cast):
    task = task_of_b(cast)
    recycle_delete(actor=cast["office"], obj=task)
    return {"key": "campaigns.task", "pk": task.pk}


MATRIX = [
    Expect("home", page_for(SIGNED_IN)),
    Expect("healthz", {}, default=200),
    Expect("health_json", {}, default=200, note="for monitoring: no sign-in, counts only"),
    Expect("worker_banner", {"office": 200, "outsider": 200}, default=204,
           note="an office gets the banner (empty while the worker runs); nobody else gets anything"),
    Expect("login", {**each(SIGNED_IN, 302), "anonymous": 200}, note="signed-in people are sent on"),
    Expect("logout", {}, default=302, method="post"),
    Expect("password_change", page_for(SIGNED_IN)),
    Expect("otp_verify", {**each(SIGNED_IN, 302), "anonymous": 302}, note="no authenticator yet: sent to set one up"),
    Expect("otp_setup", page_for(SIGNED_IN)),
    Expect("set_language", {}, default=302, method="post", data=lambda cast: {"language": "en", "next": "/"}),
    Expect("recycle_bin", page_for(["office", "outsider"])),
    # A task of the unit lies in the bin: only the unit's office reaches it; another unit's office finds nothing.
    Expect("recycle_restore", {**each(SIGNED_IN, 403), "office": 302, "outsider": 404, "anonymous": 302},
           method="post", kwargs=binned_task),
    Expect("recycle_purge", {**each(SIGNED_IN, 403), "office": 302, "outsider": 404, "anonymous": 302},
           method="post", kwargs=binned_task),
    Expect("api_schema", page_for(SIGNED_IN, anonymous=403)),
    Expect("api_docs", page_for(SIGNED_IN, anonymous=403)),
]
