from wenming.core.matrix import SIGNED_IN, Expect, each, page_for

MATRIX = [
    Expect("home", page_for(SIGNED_IN)),
    Expect("healthz", {}, default=200),
    Expect("login", {**each(SIGNED_IN, 302), "anonymous": 200}, note="signed-in people are sent on"),
    Expect("logout", {}, default=302, method="post"),
    Expect("password_change", page_for(SIGNED_IN)),
    Expect("otp_verify", {**each(SIGNED_IN, 302), "anonymous": 302}, note="no authenticator yet: sent to set one up"),
    Expect("otp_setup", page_for(SIGNED_IN)),
    Expect("set_language", {}, default=302, method="post", data=lambda cast: {"language": "en", "next": "/"}),
    Expect("recycle_bin", page_for(["office", "outsider"])),
    # Until a model is registered no key resolves: the office gets 404, everyone else is refused first.
    Expect("recycle_restore", {**each(SIGNED_IN, 403), "office": 404, "outsider": 404, "anonymous": 302},
           method="post", kwargs=lambda cast: {"key": "nothing.here", "pk": 1}),
    Expect("recycle_purge", {**each(SIGNED_IN, 403), "office": 404, "outsider": 404, "anonymous": 302},
           method="post", kwargs=lambda cast: {"key": "nothing.here", "pk": 1}),
    Expect("api_schema", page_for(SIGNED_IN, anonymous=403)),
    Expect("api_docs", page_for(SIGNED_IN, anonymous=403)),
]
