#!/usr/bin/env bash
# Bootstraps the Cake build: ./build.sh --target=Test | Run | Build | Publish-Host | Package-Extension
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
exec dotnet cake build.cake "$@"
