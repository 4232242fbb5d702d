# The Amends service image: `docker build -t amends .` then see compose.yaml and
# docs/operations.md. The SQLite store lives in the /var/lib/amends volume unless
# AMENDS_DATABASE_URL names a PostgreSQL database.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    AMENDS_HOST=0.0.0.0 \
    AMENDS_PORT=8000 \
    AMENDS_DATA_DIR=/var/lib/amends

WORKDIR /app
COPY pyproject.toml README.md ./
COPY contract ./contract
COPY service ./service
COPY prompts ./prompts
COPY guardrails ./guardrails
COPY eval ./eval
RUN pip install . \
    && useradd --system --uid 10001 --home-dir /var/lib/amends --create-home amends

USER amends
VOLUME ["/var/lib/amends"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["amends", "serve"]
