# Stage 1: the design-system assets, installed from npm.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# Stage 2: the Django service (web, worker and beat all run this image).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential libpq-dev libpq5 \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY dtc/__init__.py dtc/__init__.py
RUN pip install --upgrade pip && pip install .
COPY . .
COPY --from=assets /app/node_modules ./node_modules
RUN pip install --no-deps . \
 && DTC_PRODUCTION=1 DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input \
 && useradd --create-home --uid 1000 dtc && mkdir -p /app/media && chown dtc /app/media
USER dtc
EXPOSE 8000
CMD ["gunicorn", "dtc.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
