#!/bin/sh
# Runs the Prosody baseline once: a scratch Prosody on 127.0.0.1 and an ephemeral port, its users
# made with prosodyctl, then xmpp_load.py against it; everything is removed afterwards.
# Needs Prosody 0.12 installed (Debian 12: apt-get install -y prosody); run as root (Prosody
# itself runs as the "prosody" user) or as a user who can write the scratch directory.
# Usage: [ARCHIVE=internal|sql] [HISTORY_ROUNDS=3] benchmarks/baselines/prosody/run.sh [seconds per measurement, default 5]
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=$(mktemp -d /tmp/p2pchat-prosody.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$DIR/data" "$DIR/certs"
sed -e "s#@DIR@#$DIR#g" -e "s#@PORT@#$PORT#g" -e "s#@ARCHIVE@#${ARCHIVE:-internal}#g" "$HERE/prosody.cfg.lua" > "$DIR/prosody.cfg.lua"
AS=""
if [ "$(id -u)" = 0 ]; then chown -R prosody:prosody "$DIR"; chmod 755 "$DIR"; AS="runuser -u prosody --"; fi
for u in hist sink $(seq -f 'from%g' 0 7) $(seq -f 'to%g' 0 7); do
  $AS prosodyctl --config "$DIR/prosody.cfg.lua" register "$u" localhost pw 2>/dev/null
done
$AS prosody --config "$DIR/prosody.cfg.lua" -F > "$DIR/stdout.txt" 2>&1 &
PID=$!
SERVER=$PID
trap 'kill $SERVER 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"; exit $STATUS' EXIT
STATUS=1
# $PID is runuser's when root; the server is its child
i=0; until python3 -c "import socket; socket.create_connection(('127.0.0.1',$PORT)).close()" 2>/dev/null; do
  i=$((i+1)); [ $i -lt 100 ] || { cat "$DIR/stdout.txt"; exit 1; }; sleep 0.1; done
SERVER=$(pgrep -P $PID lua5.4 || echo $PID)
echo "archive storage: ${ARCHIVE:-internal}"
STATUS=0
python3 "$HERE/xmpp_load.py" "$PORT" "$SERVER" "${1:-5}" "${HISTORY_ROUNDS:-3}" || STATUS=$?
