from wenming.testing.matrix import Expect, page_for

MATRIX = [
    Expect("audit:events", page_for(["auditor"])),
    Expect("audit:export", page_for(["auditor"])),
    Expect("audit:chain", page_for(["auditor"])),
]
