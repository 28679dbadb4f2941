"""File serving, shared by every app that hands out stored files (evidence, scoring sheets, receipts, reports,
attachments): the caller has already checked access and audited the download; this sends the bytes safely."""

from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.http import content_disposition_header

from wenming.files import conf

FILE_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store",
                "Content-Security-Policy": "default-src 'none'; sandbox"}


def harden(response):
    """The headers every served file carries: never sniffed, never cached, never run as a page."""
    for name, value in FILE_HEADERS.items():
        response[name] = value
    return response


def serve_stored(field_file, *, filename: str, as_attachment: bool, content_type: str):
    """A stored file for a person already checked and audited: a redirect to a short-lived signed URL when the
    storage signs them (S3), carrying the same disposition and type; otherwise streamed from the Storage API."""
    seconds = conf.signed_url_seconds()
    storage = field_file.storage
    if seconds > 0 and getattr(storage, "querystring_auth", False) and hasattr(storage, "bucket_name"):
        url = storage.url(field_file.name, expire=seconds, parameters={
            "ResponseContentDisposition": content_disposition_header(as_attachment, filename),
            "ResponseContentType": content_type, "ResponseCacheControl": "private, no-store"})
        return harden(HttpResponseRedirect(url))
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    return harden(FileResponse(handle, as_attachment=as_attachment, filename=filename, content_type=content_type))
