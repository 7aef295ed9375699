#!/bin/sh
# PROTOTYPE (issue 15): bundle the prototype's main and worker (as `deno task bundle` bundles
# the program) into dist/proto_main.js and dist/proto_worker.js.
set -e
cd "$(dirname "$0")/../.."
deno bundle --quiet --platform=deno --output dist/proto_main.js tasks/multicore/proto_main.ts
deno bundle --quiet --platform=deno --output dist/proto_worker.js tasks/multicore/proto_worker.ts
