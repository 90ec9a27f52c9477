#!/usr/bin/env bash
# Issue #12's benchmark: e-invoices per second through the text stage and the embedded-XML route, beside the bare
# pdfdetach + pdftotext runs. Usage: bench/einvoices.sh [--documents N] [--concurrency N] [--rounds N]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/EInvoices/EInvoices.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet bench/EInvoices/bin/Release/net10.0/DocExtract.Bench.EInvoices.dll "$@"
