"""The evidence app's settings, each with a safe default; deployments override them in settings.

`WENMING_EVIDENCE_ALLOWED` is the allow-list of detected types (keys of `sniffing.TYPES`); a unit may narrow it
by its own list in `WENMING_EVIDENCE_ALLOWED_BY_UNIT = {unit_id: [...]}`.
"""

from django.conf import settings

MB = 1024 * 1024

DEFAULT_ALLOWED = ("jpg", "png", "gif", "webp", "pdf", "docx", "xlsx", "pptx", "doc", "xls", "ppt", "mp4", "zip")


def allowed_types(unit_id: int | None = None) -> frozenset[str]:
    per_unit = getattr(settings, "WENMING_EVIDENCE_ALLOWED_BY_UNIT", {}) or {}
    if unit_id is not None and unit_id in per_unit:
        return frozenset(per_unit[unit_id])
    return frozenset(getattr(settings, "WENMING_EVIDENCE_ALLOWED", DEFAULT_ALLOWED))


def max_file_size() -> int:
    return int(getattr(settings, "WENMING_EVIDENCE_MAX_FILE_SIZE", 50 * MB))


def max_request_size() -> int:
    return int(getattr(settings, "WENMING_EVIDENCE_MAX_REQUEST_SIZE", 200 * MB))


def max_files_per_request() -> int:
    return int(getattr(settings, "WENMING_EVIDENCE_MAX_FILES", 50))


def zip_max_uncompressed() -> int:
    """A zip whose entries add up to more than this is refused before any entry is read."""
    return int(getattr(settings, "WENMING_EVIDENCE_ZIP_MAX_UNCOMPRESSED", 500 * MB))


def zip_max_entries() -> int:
    return int(getattr(settings, "WENMING_EVIDENCE_ZIP_MAX_ENTRIES", 2000))


def zip_max_ratio() -> int:
    """An entry that claims to grow more than this many times when unpacked is treated as a zip bomb."""
    return int(getattr(settings, "WENMING_EVIDENCE_ZIP_MAX_RATIO", 200))


def thumbnail_size() -> int:
    return int(getattr(settings, "WENMING_EVIDENCE_THUMBNAIL_SIZE", 360))


def signed_url_seconds() -> int:
    """On object storage (S3), how long the signed URL a download redirects to stays valid; 0 streams through the app."""
    return int(getattr(settings, "WENMING_S3_SIGNED_URL_SECONDS", 300))
