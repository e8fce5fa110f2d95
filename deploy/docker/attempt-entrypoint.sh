#!/bin/sh
# Entry point of the trainer image: "attempt ARGS..." runs one attempt (the same command as ./savepoint attempt).
set -eu
[ "${1:-}" = "attempt" ] && shift
exec java -XX:MaxRAMPercentage=75 -cp "/app/lib/*" dev.savepoint.trainer.runner.AttemptMain "$@"
