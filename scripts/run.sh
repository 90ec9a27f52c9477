#!/usr/bin/env bash
# Quickstart: set up what is missing, start PostgreSQL, RabbitMQ, the API and a worker, upload the sample PDF
# and print its result. The API and worker keep running (logs in .data/run/); `scripts/run.sh stop` stops them.
# Usage: scripts/run.sh [--model NAME|FILE.gguf] [FILE.pdf] [SCHEMA]   (defaults: samples/sample-invoice.pdf invoice)
#        scripts/run.sh stop
# --model takes a name from scripts/models.sh list (or a GGUF path); it sets Llm__Model for the worker.
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=.data/run
PORT=${DOCEXTRACT_PORT:-8080}
API=http://127.0.0.1:$PORT

stop() {
  for name in api worker; do
    if [ -f "$RUN/$name.pid" ] && kill -0 "$(cat "$RUN/$name.pid")" 2>/dev/null; then
      kill "$(cat "$RUN/$name.pid")" && echo "run: stopped the $name"
    fi
    rm -f "$RUN/$name.pid"
  done
}

if [ "${1:-}" = stop ]; then stop; exit 0; fi
if [ "${1:-}" = --model ]; then
  [ -n "${2:-}" ] || { echo "run: --model needs a name (scripts/models.sh list) or a GGUF path" >&2; exit 2; }
  export Llm__Model=$2
  shift 2
fi
# The key that seals an upload's PDF password between the API and the worker (docs/operations.md, Secrets:KeyFile).
mkdir -p .data
[ -s .data/secret.key ] || (umask 077; head -c 32 /dev/urandom >.data/secret.key)
export Secrets__KeyFile=${Secrets__KeyFile:-$PWD/.data/secret.key}
# Model names are looked up where scripts/models.sh keeps them.
export Llm__ModelsDirectory=${Llm__ModelsDirectory:-$PWD/.data/models}
FILE=${1:-samples/sample-invoice.pdf}
SCHEMA=${2:-invoice}

scripts/setup.sh
mkdir -p "$RUN"
stop >/dev/null

if [ -z "${Llm__Model:-}" ] && [ -z "${Llm__ModelPath:-}" ]; then
  # No model given: make the small random-weight demo model (real tokenizer, real llama.cpp inference). Its
  # values are gibberish but the schema's grammar still shapes them; give --model a real instruct GGUF.
  export Llm__Model=$PWD/.data/models/demo.gguf
  if [ ! -f "$Llm__Model" ]; then
    dotnet tools/ModelGen/bin/Release/net10.0/DocExtract.ModelGen.dll --out "$Llm__Model" >/dev/null
  fi
  echo "run: no --model given; using the random-weight demo model $Llm__Model"
fi

(cd src/Api/bin/Release/net10.0 && exec dotnet DocExtract.Api.dll --urls "$API") >"$RUN/api.log" 2>&1 &
echo $! >"$RUN/api.pid"
(cd src/Worker/bin/Release/net10.0 && exec dotnet DocExtract.Worker.dll) >"$RUN/worker.log" 2>&1 &
echo $! >"$RUN/worker.pid"

# Every endpoint but /health/live needs an API key (docs/security.md, "Keys, roles and tenants"): the Quickstart makes an
# admin key of the default tenant once and keeps it in $RUN/quickstart.key (mode 600).
if [ ! -s "$RUN/quickstart.key" ]; then
  (umask 077; scripts/keys.sh create --tenant default --role admin --name quickstart >"$RUN/quickstart.key")
fi
AUTH="Authorization: Bearer $(cat "$RUN/quickstart.key")"

for _ in $(seq 1 120); do curl -fs -H "$AUTH" "$API/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fs -H "$AUTH" "$API/health/ready" >/dev/null || { echo "run: the API did not become ready; see $RUN/api.log" >&2; exit 1; }
echo "run: API on $API, worker running (logs in $RUN/); API key in $RUN/quickstart.key"

echo "run: uploading $FILE as $SCHEMA"
id=$(curl -fsS -H "$AUTH" -F "file=@$FILE" -F "schema=$SCHEMA" "$API/documents" | jq -r .id)
echo "run: document $id"
for _ in $(seq 1 600); do
  status=$(curl -fsS -H "$AUTH" "$API/documents/$id" | jq -r .status)
  case "$status" in succeeded|needs_review|failed) break ;; esac
  sleep 0.5
done
curl -fsS -H "$AUTH" "$API/documents/$id" | jq '{id, status, pageCount, failureReason, attempts}'
if [ "$status" = succeeded ] || [ "$status" = needs_review ]; then
  curl -fsS -H "$AUTH" "$API/documents/$id/result" | jq '{data, dataStatus, timings, pages: [.pages[] | {number, source, text: (.text[0:200])}]}'
fi
echo "run: review it in a browser at $API/review (sign in with the key in $RUN/quickstart.key)"
echo "run: the API and worker are still running; stop them with: scripts/run.sh stop"
