#!/usr/bin/env bash
# Builds the API reference site with docfx (a .NET tool pinned in dotnet-tools.json): the XML documentation of every
# library under src/, with the guide, training and distributed docs beside it, into docs/api/_site.
#
# usage: scripts/api-site.sh [--serve]   (--serve then serves the site on http://localhost:8080)
set -euo pipefail

serve=false
case "${1:-}" in
  "") ;;
  --serve) serve=true ;;
  *) echo "usage: $0 [--serve]  (unknown argument '$1')" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
dotnet tool restore
rm -rf docs/api/_site docs/api/reference
dotnet docfx docs/api/docfx.json
echo "site: $root/docs/api/_site/index.html ($(find docs/api/_site/reference -name '*.html' | wc -l) reference pages)"
if $serve; then dotnet docfx serve docs/api/_site --port 8080; fi
