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
