# The archive's app image (API, web pages, ingest CLI), used by docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    GAZETTE_HOME=/data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY gazette ./gazette
COPY ingest ./ingest
COPY search_api ./search_api
COPY epub_builder ./epub_builder
COPY renderer ./renderer
COPY index_mappings ./index_mappings
COPY gazette_cli ./gazette_cli
RUN pip install . \
    && useradd --system --create-home --home-dir /home/gazette gazette \
    && mkdir -p /data && chown gazette: /data

USER gazette
VOLUME ["/data"]
EXPOSE 8000
CMD ["gazette", "serve", "--host", "0.0.0.0"]
