# pki, node, node --check, restore, audit verify, the arguments of the client commands and the
# demo's narration. The English texts are the ones scripts and tests have always read: change
# them only together with those.

## Who a certificate names
cmd-who-node = node { $node }
cmd-who-operator = { $name } (operator, { $region })
cmd-who-coordinator = { $name } (national coordinator)

## Files
cmd-writing = writing { $path }
cmd-creating = creating { $path }
cmd-replacing = replacing { $path }
cmd-restricting = restricting { $path }

## pki init, issue, renew, revoke
cmd-pki-init-wrote = wrote a dev federation PKI to { $dir }:
cmd-pki-init-ca = federation CA (keep ca.key secret)
cmd-pki-init-nodes = node certificates (+ .key)
cmd-pki-init-operators = one operator per region (+ .key)
cmd-pki-init-coordinator = a national coordinator (+ .key)
cmd-pki-init-crl = the CA's revocation list (`pki revoke` adds to it)
cmd-pki-exists-here = { $dir }: a PKI already exists here (use --force to replace it)
cmd-pki-issued = wrote { $cert } and { $key } ({ $who })
cmd-pki-issued-before = { $path } already exists ({ $who } was issued before): give --force to replace it, or another --name
cmd-pki-operator-national = --operator: operators belong to a region or partner, not a national node; omit it for a national coordinator
cmd-pki-renewed = wrote { $cert } and { $key } (a renewed certificate for { $node })
cmd-pki-no-pem = { $path }: no PEM certificate
cmd-pki-revoked = revoked { $cert } ({ $who }): { $crl } now lists { $n } certificate(s)
cmd-pki-already-revoked = { $cert } ({ $who }) is already revoked in { $crl }

## node, node --check, restore
cmd-node-listening = node { $node } listening on { $url }
cmd-node-stopping = stopping node { $node }
cmd-check-passed = ok: { $line }
cmd-check-clean = ok: { $path }: no problems found
cmd-check-problems = { $path }: { $n ->
    [one] 1 problem
   *[other] { $n } problems
} found
cmd-restore-not-a-backup = config: restore from { $from }: not a backup of a regiosync store (no sled `db` and `conf` files)
cmd-restore-store-there = config: restore from { $from }: { $db } already holds a store; pass --replace to move it aside (it is kept)
cmd-restore-in-use = config: restore from { $from }: { $why } (is the node still running? stop it first)
cmd-restore-damaged = config: restore from { $from }: the copy has { $count } damaged values, e.g. { $example }
cmd-restore-moved-aside = moved the store that was there aside to { $path }
cmd-restored = restored { $values } values into { $db }; on its next start the node fetches from NL what it wrote after the backup before it takes a write

## Starting up
cmd-runtime = starting the async runtime
cmd-sighup-handler = installing the SIGHUP handler
cmd-rust-log-invalid = RUST_LOG={ $value } is not a valid log filter: { $error } (for example RUST_LOG=info or RUST_LOG=warn,regiosync_node=debug)
cmd-rust-log-not-unicode = RUST_LOG={ $value } is not valid UTF-8

## audit verify
cmd-audit-no-origin = no line in the files names its node; give --origin
cmd-audit-fetching-anchors = fetching the audit anchors of { $origin }
cmd-audit-problems = the audit trail has { $n } problem(s)

## Arguments of the client commands
cmd-not-a-moment = { $flag }: '{ $value }' is not a moment (now, +45m, +24h, -2h, +7d, or 2026-12-01 14:00 in Dutch time, 2026-12-01T14:00+01:00, 2026-12-01T13:00:00Z)
cmd-status-required = --status is required: say whether this is actual, exercise or test data (exercise and test data never count in national totals), e.g. --status exercise
cmd-payload-file = --payload-file { $path }
cmd-payload-missing = give --payload TEXT or --payload-file PATH
cmd-capacity-csv-times = --csv needs --as-of and --valid-until, e.g. --as-of now --valid-until +24h
cmd-capacity-no-input = give a report file (.toml or .json) or --csv FILE
cmd-agreement-state = --state: '{ $value }' is not one of { $states }
cmd-agreement-hash = --hash: '{ $value }' is not a SHA-256 in hex (64 characters, as `agreement show` prints it)
cmd-agreement-reason = --reason: required, say why
cmd-evaluation-corrects = { $file }: corrects = "{ $corrects }", but the command corrects { $id }; leave corrects out of the file
cmd-assist-line = { $flag }: '{ $value }' is not TYPE=N or TYPE=N/MIN (e.g. TS=6 or TS=6/4)
cmd-assist-commit = --commit: '{ $value }' is not OFFER:TYPE=N (e.g. VR15-3:TS=2)
cmd-assist-offer-minimum = --line: '{ $value }': an offer has no minimum; write TYPE=N
cmd-assist-lesson = --lesson needs --cooperation (P, S, M or U): the evaluation of the assistance
cmd-assist-no-request = { $id }: the node's view has no request
cmd-assist-no-body = { $id }: the node sent no body
cmd-assist-not-an-entry = { $id }: not a valid entry
cmd-assist-payload = { $id }: its payload does not decode
cmd-assist-not-a-record = { $id }: not a record kind
cmd-assist-edxl = { $id }: exporting as EDXL-RM

## The demo
cmd-demo-temp-folder = creating a temporary folder
cmd-demo-starting = starting the demo federation
cmd-demo-started = started { $nodes } nodes (NL + 25 regions) on 127.0.0.1 in { $ms } ms: every region peers with NL and directly with its { $links } neighbour links
cmd-demo-connected = 25 regional operators and 1 national coordinator connected over mutual TLS with person certificates in { $ms } ms
cmd-demo-not-converged = the federation did not converge within { $secs } s ({ $missing } deliveries missing)
cmd-demo-agreement-state = warning: agreement { $id } is { $got } at NL; its script should have made it { $state }
cmd-demo-written = written through the Records API in { $ms } ms: { $capacity }, { $versions } ({ $agreements } agreements), { $signatures }, { $rejections }, { $withdrawals }, { $revocations }, { $evaluations }
cmd-demo-n-capacity = { $n ->
    [one] 1 capacity report
   *[other] { $n } capacity reports
}
cmd-demo-n-versions = { $n ->
    [one] 1 agreement version
   *[other] { $n } agreement versions
}
cmd-demo-n-signatures = { $n ->
    [one] 1 signature
   *[other] { $n } signatures
}
cmd-demo-n-rejections = { $n ->
    [one] 1 rejection
   *[other] { $n } rejections
}
cmd-demo-n-withdrawals = { $n ->
    [one] 1 withdrawal
   *[other] { $n } withdrawals
}
cmd-demo-n-revocations = { $n ->
    [one] 1 revocation
   *[other] { $n } revocations
}
cmd-demo-n-evaluations = { $n ->
    [one] 1 evaluation
   *[other] { $n } evaluations
}
cmd-demo-delivered = all { $deliveries } deliveries of those { $records } records (each to NL and the rest of its audience) done { $ms } ms after the first write
cmd-demo-incident = The incident: { $steps } steps of one assistance request, each by the member that took it at its own node, in { $ms } ms; the request as NL derives it:
cmd-demo-assistance-questions = The assistance questions at NL over today (only actual requests count):
cmd-demo-memory = memory: { $now } MiB resident now, { $peak } MiB peak (whole process, 26 nodes and 26 clients)
cmd-demo-stays-up = the federation stays up until Ctrl-C; nodes:
cmd-demo-try = people certificates in { $pki }/people (coordinator, operator-vr01 .. operator-vr25); try:

## The demo's national picture
cmd-demo-pic-none = none
cmd-demo-pic-code = code
cmd-demo-pic-capacity = National capacity at NL ({ $who }, Records.ListCapacity): sum of the { $reports_shown } current actual { $reports ->
    [one] report
   *[other] reports
}
cmd-demo-pic-valid-until = { $region } (valid until { $until })
cmd-demo-pic-not-counted = not counted: stale { $stale }; exercise { $exercise }; missing { $missing }
cmd-demo-pic-older = { $region } ({ $n_shown } older { $n ->
    [one] report
   *[other] reports
})
cmd-demo-pic-superseded = superseded by a newer report: { $list }
cmd-demo-pic-agreements = Agreements at NL (Records.ListAgreements): { $n_shown }
cmd-demo-pic-days-left = { $id } ({ $days_shown } { $days ->
    [one] day
   *[other] days
} left)
cmd-demo-pic-withdrawing = { $id } (by { $party }, takes effect { $date })
cmd-demo-pic-expiring = active and expiring within 60 days: { $list }
cmd-demo-pic-withdrawal-pending = active, withdrawal pending: { $list }
cmd-demo-pic-amendment-pending = active, amendment awaiting signatures: { $list }
cmd-demo-pic-evaluations = Evaluations at NL (Records.ListEvaluations): { $n_shown } from { $regions_shown } regions, events { $from } to { $to }; none from { $without }
cmd-demo-pic-latest-ratings = ratings in the latest evaluation of each region:
cmd-demo-pic-twice = M/U twice in a row
cmd-demo-pic-actions = improvement actions: { $n_shown } ({ $done_shown } done, { $overdue_shown } open and overdue); verified by a later evaluation: { $effective_shown } effective, { $partly_shown } partly, { $not_effective_shown } not effective
cmd-demo-pic-board = reported to the regional board: { $reported_shown } of { $n_shown } evaluations
