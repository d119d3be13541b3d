"""The ``gazette`` command line: one entry point, one subcommand per job.

The CLI is the outermost layer: it may import the core (``gazette``), ``ingest``,
``search_api``, ``epub_builder`` and ``renderer``; nothing imports it.
"""
