# The DocExtract API (and, with the argument `migrate`, the migration step).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Api -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
COPY schemas /app/schemas
ENV ASPNETCORE_URLS=http://+:8080 \
    Schemas__Directory=/app/schemas
EXPOSE 8080
USER app
ENTRYPOINT ["dotnet", "/app/DocExtract.Api.dll"]
