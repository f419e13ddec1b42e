# Image for the Helm chart (web, worker, beat and the migrate job share it).
# Not built in this repository's CI: no container engine runs there.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=sigobito_platform.settings
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . /app
RUN pip install --no-cache-dir . \
 && SIGOBITO_ALLOW_INSECURE_KEY=1 python manage.py compilemessages --ignore .venv \
 && SIGOBITO_ALLOW_INSECURE_KEY=1 STATIC_ROOT=/app/var/static python manage.py collectstatic --noinput
RUN useradd --system --home /app sigobito && chown -R sigobito /app/var
USER sigobito
EXPOSE 8000
CMD ["gunicorn", "sigobito_platform.wsgi:application", "--bind", "0.0.0.0:8000"]
