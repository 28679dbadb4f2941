"""The repository stands alone (issue 24): the README names every demo account and links only to what is here."""

import re
from pathlib import Path

from wenming.org.demo import PEOPLE

ROOT = Path(__file__).resolve().parents[3]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_lists_every_demo_account():
    table = set(re.findall(r"^\| ([a-z_]+)(?: / ([a-z_]+))? \|", README, re.M))
    listed = {name for row in table for name in row if name}
    assert {username for username, *_rest in PEOPLE} <= listed


def test_every_link_of_the_readme_and_the_docs_is_in_the_repository():
    for document in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = document.read_text(encoding="utf-8")
        assert "../shared" not in text, document
        for target in re.findall(r"\]\((?!https?:|#)([^)#]+)", text):
            assert (document.parent / target).exists(), f"{document.name} links to {target}, which is not here"


def test_the_readme_says_where_to_sign_in_and_how_long_the_first_start_takes():
    assert "http://127.0.0.1:8000/accounts/login/" in README
    assert "about three minutes" in README
