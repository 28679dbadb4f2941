"""What every 操作手册 URL answers to each persona (issue 24).

The guide holds no data of any unit, only how the screens work: every signed-in person reads all of it (200), the
outsider and the evaluator too. Before sign-in only 五分钟上手 answers (it tells how to sign in; the sign-in page links
to it); every other page sends the visitor to sign in (302).
"""

from wenming.testing.matrix import SIGNED_IN, Expect, each

READERS = {**each(SIGNED_IN, 200), "anonymous": 302}

MATRIX = [
    Expect("help:index", READERS),
    Expect("help:search", READERS, data=lambda cast: {"q": "退回"}),
    Expect("help:print", READERS),
    Expect("help:section", READERS, kwargs=lambda cast: {"slug": "office"}),
    Expect("help:section", {**READERS, "anonymous": 200}, kwargs=lambda cast: {"slug": "quickstart"},
           note="五分钟上手 is public: a new person reads how to sign in before signing in"),
]
