"""The public face of the archive: a JSON API under ``/api/v1`` and citizens' web pages.

Layout::

    app.py          create_app(): wiring, middleware, error handlers, static files
    errors.py       the one JSON error shape and the handlers that produce it
    middleware.py   security headers, request body limit, CORS for the read API only
    auth.py         bearer tokens of the legal office, the per-token write rate
    ratelimit.py    the sliding-window limiter behind that rate
    services.py     read-side queries shared by the API and the pages (public only)
    legal_office.py the legal office's writes and unmasked reads (token only)
    schemas.py      request and response models of the JSON API (what OpenAPI documents)
    api/            JSON routes: search, documents, gazettes, files, catalogue, legal office
    feeds.py        Atom feeds of new documents and of status changes
    pages.py        server-rendered Jinja2 pages (Chinese, mobile first, no JavaScript)
    presentation.py text helpers for pages: Chinese dates, status banners, headings

Everything reads the archive through :class:`gazette.archive.Archive`, so the API works
on every search backend. Only 主动公开 documents are reachable on public paths; the
others only through the legal office's token-protected routes.
"""
