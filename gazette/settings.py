"""The one settings object.

Every knob of the project lives here, read from ``GAZETTE_*`` environment variables
(or a ``.env`` file in the working directory). The CLI's global options write the same
variables, so there is exactly one way to configure anything. Load it with
:func:`get_settings`; tests build their own :class:`Settings` instances.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Configuration of one gazette archive."""

    model_config = SettingsConfigDict(env_prefix="GAZETTE_", env_file=".env", extra="ignore")

    home: Path = Field(
        default=Path("gazette-data"),
        description="Data directory: the SQLite archive, stored source files and caches.",
    )
    backend: Literal["sqlite", "elasticsearch"] = Field(
        default="sqlite",
        description="Search backend: the embedded SQLite archive or Elasticsearch.",
    )
    es_url: str = Field(
        default="http://127.0.0.1:9200",
        description="Elasticsearch URL, used when backend is 'elasticsearch'.",
    )
    es_index_prefix: str = Field(
        default="gazette",
        description="Prefix of Elasticsearch index and alias names (one archive per prefix).",
    )
    es_timeout: float = Field(default=30.0, description="Elasticsearch request timeout, seconds.")
    gazette_name: str = Field(
        default="静乐县人民政府公报",
        description="Default gazette name shown on pages and EPUB covers.",
    )
    publisher: str = Field(
        default="静乐县人民政府",
        description="Issuing government, used as publisher of the EPUB edition.",
    )
    userdict: Path | None = Field(
        default=None,
        description="Extra jieba user dictionary (one term per line) added to the built-in one.",
    )
    ingest_timeout: float = Field(
        default=120.0, description="Maximum seconds spent on one source file before it is rejected."
    )
    write_tokens: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Legal-office write tokens as a JSON object {name: 'sha256:<hex>'}; only hashes are "
            "stored (make one with `gazette token`). Empty: the write API is closed."
        ),
    )
    official_numbers: list[str] = Field(
        default_factory=list,
        description="Public telephone numbers of government offices that must never be masked.",
    )
    write_rate_per_minute: int = Field(default=120, description="Write requests allowed per token per minute.")
    ingest_memory_mb: int = Field(
        default=2048, description="Address-space limit of one file's parser process, in MB."
    )
    ingest_workers: int = Field(default=2, description="Parser processes used by `gazette ingest`.")
    ingest_group_files: int = Field(
        default=8,
        ge=1,
        description=(
            "Parsed files `gazette ingest` saves per transaction (and per indexing call), at most; "
            "1: one transaction per file."
        ),
    )
    ingest_worker_nice: int = Field(
        default=10,
        ge=0,
        le=19,
        description=(
            "How much lower the CPU priority of `gazette ingest`'s parser processes is than its own "
            "(nice(1)'s scale): saving, which the parsers feed, keeps pace, and other work comes first."
        ),
    )
    search_cache_size: int = Field(
        default=512, ge=0, description="Search results kept per process by the embedded backend (0: no cache)."
    )
    search_page_cache_mb: int = Field(
        default=64,
        ge=1,
        description=(
            "SQLite page cache of a process's searches, in MB, shared out among its request "
            "threads (`server_threads`; each thread's connection gets an equal share, at least "
            "4 MB). Pages beyond it are read again from the OS page cache by every search."
        ),
    )
    server_threads: int | None = Field(
        default=None,
        ge=1,
        description=(
            "Threads per server process that run requests (None: anyio's default, 40). "
            "Searches are CPU-bound, so fewer threads contend less: on 2 cores, 2 processes "
            "of 1 thread served about 20 % more uncached searches than of 40 "
            "(bench/api_bench.py), but one slow request then holds its process. With 1, searches "
            "run on the event loop itself (no hop between threads)."
        ),
    )
    max_request_bytes: int = Field(
        default=1024 * 1024, description="Largest request body the API accepts (413 beyond it)."
    )
    debug: bool = Field(default=False, description="Show tracebacks; never on in production.")

    @property
    def search_page_cache_kib(self) -> int:
        """One request thread's share of ``search_page_cache_mb``, in KiB."""
        return max(4096, self.search_page_cache_mb * 1024 // (self.server_threads or 40))

    @property
    def db_path(self) -> Path:
        """The SQLite archive file (it holds metadata for both backends)."""
        return self.home / "archive.sqlite3"

    @property
    def files_dir(self) -> Path:
        """Content-addressed store of original source files (by sha256)."""
        return self.home / "files"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
