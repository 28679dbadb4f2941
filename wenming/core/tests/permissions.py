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
    Expect("api_schema", page_for(SIGNED_IN, anonymous=403)),
    Expect("api_docs", page_for(SIGNED_IN, anonymous=403)),
]
