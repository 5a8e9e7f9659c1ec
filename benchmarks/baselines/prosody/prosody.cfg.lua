-- BASELINE test configuration for Prosody 0.12 (Debian 12: apt-get install -y prosody).
-- Loopback only, plain TCP with SASL PLAIN allowed (test use only, never on a network),
-- message archive (mod_mam) on. run.sh copies this file into a scratch directory and replaces
-- @DIR@, @PORT@ (an ephemeral port it picked on 127.0.0.1) and @ARCHIVE@, the archive's store:
--   "internal": Prosody's default file storage (appends to files, no fsync);
--   "sql": SQLite through LuaDBI (apt-get install -y lua-dbi-sqlite3); Prosody 0.12 sets no
--          PRAGMA, so SQLite's defaults apply: rollback journal, synchronous=FULL, i.e. an
--          fsync at every commit (one per archived stanza).
-- Nothing here is used by p2pchat itself.

pidfile = "@DIR@/prosody.pid"
data_path = "@DIR@/data"
certificates = "@DIR@/certs" -- empty: no TLS
log = { warn = "@DIR@/prosody.log" }

interfaces = { "127.0.0.1" }
c2s_interfaces = { "127.0.0.1" }
c2s_ports = { @PORT@ }
local_interfaces = { "127.0.0.1" }

-- Test only: no TLS on loopback, so SASL PLAIN over plain TCP must be allowed.
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "internal_hashed"
storage = { archive = "@ARCHIVE@" } -- everything else: "internal"
default_storage = "internal"
sql = { driver = "SQLite3", database = "prosody.sqlite" } -- in data_path; used only when @ARCHIVE@ is "sql"

-- Users are created with prosodyctl (run.sh); no in-band registration.
allow_registration = false

modules_enabled = {
	"roster"; "saslauth"; "disco"; "ping"; "presence"; "message"; "iq";
	"mam";        -- XEP-0313 archive: every chat message with a body is archived
	"offline";    -- messages to users who are not online are stored
}
modules_disabled = { "s2s"; "http"; "http_files"; "tls"; "c2s_tls" }

default_archive_policy = true
archive_expires_after = "never"
max_archive_query_results = 50 -- Prosody's default page size limit, stated explicitly

VirtualHost "localhost"
