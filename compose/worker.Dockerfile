# The DocExtract worker with the CUDA 13 build of llama.cpp (falls back to the CPU build when no GPU loads).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm git && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN scripts/fetch-llama.sh --cuda \
 && dotnet publish src/Worker -c Release -o /app --nologo \
 && cp -r native /app/native

# The CUDA runtime comes from NVIDIA's image; the .NET runtime is copied in from Microsoft's.
FROM nvidia/cuda:13.0.1-runtime-ubuntu24.04
RUN apt-get update \
 && apt-get install -y --no-install-recommends poppler-utils poppler-data \
      tesseract-ocr tesseract-ocr-osd tesseract-ocr-eng tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-ita \
      tesseract-ocr-spa tesseract-ocr-nld tesseract-ocr-por tesseract-ocr-pol imagemagick \
      libicu74 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=mcr.microsoft.com/dotnet/runtime:10.0 /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
WORKDIR /app
COPY --from=build /app .
COPY schemas /app/schemas
ENV Schemas__Directory=/app/schemas \
    DOCEXTRACT_NATIVE_DIR=/app/native
ENTRYPOINT ["dotnet", "/app/DocExtract.Worker.dll"]
