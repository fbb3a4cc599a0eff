# One image for every role: `quizbot run` (all in one), `quizbot run --web`, `quizbot run --worker`,
# or `quizbot post-due` from a scheduler. Progress lives in DATABASE_URL (mount /app/data for SQLite).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PORT=3000
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY content ./content
RUN pip install --no-cache-dir . && useradd --create-home quizbot && mkdir -p /app/data \
    && chown quizbot /app/data
USER quizbot
EXPOSE 3000
CMD ["quizbot", "run"]
