"""The site around the apps: the 工作台, the sidebar and header, the password and recycle-bin pages. It stands on top
of every app (like `wenming/urls.py`), so it may read any of them; no app imports it."""
