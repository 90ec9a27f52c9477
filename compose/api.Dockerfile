# The DocExtract API (and, with the argument `migrate`, the migration step).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Api -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# pdftoppm renders pages for the review screen (#13), contained like the worker's tools (prlimit, unshare: util-linux).
RUN apt-get update \
 && apt-get install -y --no-install-recommends poppler-utils poppler-data util-linux \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
COPY schemas /app/schemas
ENV ASPNETCORE_URLS=http://+:8080 \
    Schemas__Directory=/app/schemas
EXPOSE 8080
# Owned by the app user, so the named volumes mounted there are writable (docs/review.md).
RUN mkdir -p /data/review-keys /data/page-cache && chown app:app /data/review-keys /data/page-cache
USER app
ENTRYPOINT ["dotnet", "/app/DocExtract.Api.dll"]
