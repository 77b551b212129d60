FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
COPY haet ./haet
COPY submissions ./submissions
COPY reviews ./reviews
COPY awards ./awards
RUN pip install --no-cache-dir '.[s3]'
COPY . .
RUN useradd --system --home /app haet && mkdir -p /data/private && chown -R haet /data /app
USER haet
EXPOSE 8000
# The web server as docker-compose runs it (its comments explain the sizing: 2
# processes for 2 cores, threads so forms and sign-ins never queue behind uploads).
CMD ["gunicorn", "haet.wsgi:application", "--bind", "0.0.0.0:8000", "--worker-class", "gthread", "--workers", "2", "--threads", "16", "--timeout", "60"]
