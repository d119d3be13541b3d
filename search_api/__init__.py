"""The public face of the archive: a JSON API under ``/api/v1`` and citizens' web pages.

Layout::

    app.py          create_app(): wiring, middleware, error handlers, static files
    errors.py       the one JSON error shape and the handlers that produce it
    services.py     read-side queries shared by the API and the pages (public only)
    schemas.py      response models of the JSON API (what OpenAPI documents)
    api/            JSON routes: search, documents, gazettes, files
    pages.py        server-rendered Jinja2 pages (Chinese, mobile first, no JavaScript)
    presentation.py text helpers for pages: Chinese dates, status banners, headings

Everything reads the archive through :class:`gazette.archive.Archive`, so the API works
on every search backend. Only 主动公开 documents are reachable here.
"""
