# Errors for people on the command line (`error: ...`). With --json the message is always this
# English text, with a stable code beside it. Text from the node ("the node says") and from the
# operating system stays as they wrote it.

## The frame
err-line = error: { $error }
err-nothing = { "" }
err-the-node = the node
err-the-node-at = the node at { $node }

## A refusal by the node: what kind, then the node's own words
err-status = { $code }: { $message }

## Connecting to a node
err-cannot-talk = cannot talk to { $at }: { $error }
err-cannot-reach = cannot reach { $at }: { $why }
err-why-dns = its host name does not resolve
err-why-refused = connection refused (is the node running, and is --node right?)
err-why-timeout = no answer in time (a firewall, or the wrong address?)
err-why-no-route = no route to it (check --node and your network)
err-why-address = the address is not available (check --node)
err-closed = { $at } closed the connection without saying why: try again; if it persists, its audit log says what it refused
err-node-untrusted = { $at } presented a certificate from a CA your CA bundle does not trust: give --ca (or --pki) of this node's federation
err-node-expired = { $at } presented an expired certificate: its operator must renew it (`regiosync pki renew`), or this computer's clock is wrong
err-node-not-yet-valid = { $at } presented a certificate that is not valid yet: check this computer's clock (and the node's)
err-node-revoked = { $at } presented a revoked certificate: its operator must renew it
err-node-certificate = { $at } presented a certificate we cannot accept ({ $why }): ask its operator
err-tls = TLS with { $at } failed: { $error }
err-node-name = the certificate of { $at }{ $owner }, not one for '{ $asked }'{ $carries }: check --node, or give --server-name with a name it carries
err-node-name-owner = { " " }is { $owner }'s
err-node-name-carries = { " " }(it names { $names })
err-refused = { $at } refused your certificate: it { $why }
err-refused-unknown-ca = was not issued by a CA it trusts: use a certificate from this federation's CA
err-refused-expired = has expired or is not valid yet: get a new one (`regiosync pki issue`), or check this computer's clock
err-refused-revoked = has been revoked: get a new one from your federation's CA
err-refused-missing = is missing: give --cert and --key (or --pki with --as)
err-refused-identity = carries no regiosync identity it accepts (a person of a federation member, urn:regiosync:operator:<member>:<name> or urn:regiosync:coordinator:<name>, issued by a CA that member may use): its audit log says which rule
err-alert = { $at } ended the TLS handshake with the alert { $alert }

## Files (English keeps the operating system's own words)
err-io-not-found = { $os }
err-io-permission = { $os }
err-io-exists = { $os }
err-io-full = { $os }
err-io-read-only = { $os }
err-io-directory = { $os }
err-io-not-directory = { $os }
err-io-invalid-data = { $os }

## Reaching a node: --node and your certificate
err-conn-node-required = --node (or REGIOSYNC_NODE) is required, e.g. --node https://127.0.0.1:7101
err-conn-files-required = give --ca/--cert/--key, or --pki DIR with --as NAME
err-conn-as-required = --as NAME is required with --pki (e.g. --as operator-vr01)
err-conn-read-ca = CA bundle { $path }
err-conn-read-cert = certificate { $path }
err-conn-read-key = private key { $path }
err-conn-server-name = --server-name '{ $name }': not a host name or address
err-conn-node = --node '{ $node }'
err-conn-node-form = --node '{ $node }' must look like https://host:port, e.g. https://127.0.0.1:7101
err-conn-ca = the CA bundle
err-conn-ca-empty = the CA bundle holds no PEM certificate
err-conn-cert = your certificate
err-conn-cert-empty = your certificate file holds no PEM certificate
err-conn-key = your private key
err-conn-pair = your certificate and private key do not go together

## Files people write: records (.toml, .json) and capacity from a spreadsheet (.csv)
err-plain = { $text }
err-reading = reading { $path }
err-at-line = { $name } line { $line }
err-at-column = { $name } line { $line }, column { $column }
err-file-format = { $path }: records are read from .toml or .json files (see config/examples/)
err-file-problem = { $at }: { $message }
err-file-problem-source = { $at } (`{ $source }`): { $message }
err-file-author = { $path }: { $what }author: leave it out; the node fills it in from your client certificate
err-csv-byte = { $at }: byte { $byte } is neither UTF-8 nor Windows-1252; save the file as CSV UTF-8
err-csv-empty = { $name }: the file is empty; a header row is required
err-csv-fields = { $at }: { $fields_shown } fields, the header has only { $header_shown } (field { $field_shown } is '{ $value }'); is a value missing quotes?
err-csv-after-quote = { $at }: text ('{ $char }') after the closing quote of a field; write a quote inside a quoted field as ""
err-csv-stray-quote = { $at }: a quote inside an unquoted field; put the whole field in quotes and write the quote as ""
err-csv-open-quote = { $at }: the quote opened here is never closed
err-cap-problems =
    { $name }: { $n_shown } problems
    { $problems }
err-cap-unnamed-column = { $at }: a value in a column without a name
err-cap-unknown-column = { $at }: unknown column; the columns are { $known }
err-cap-same-column = { $at }: the same column as column { $other } ('{ $other_name }')
err-cap-missing-column = { $at }: column { $column } is missing (separator '{ $separator }')
err-cap-no-lines = { $name }: no lines after the header; give at least one resource type
err-cap-not-number = { $at }: '{ $value }' is not a whole number
err-cap-empty-number = { $at }: empty; give a whole number (0 if none)
err-cap-what-type = resource type
err-cap-what-status = resource status
err-cap-empty-code = { $at }: empty; give a { $what } code
err-cap-not-code = { $at }: '{ $value }' is not a { $what } in code list version { $version } ({ $hint })
err-cap-see-codelist = see config/codelists/v{ $version }.toml, e.g. TS, AMB, OvD-B
err-cap-twice = { $at }: { $type } is already given on line { $earlier }
err-cap-over-baseline = { $at }: { $type }: available { $available } + committed { $committed } + out of service { $out } = { $used } exceeds baseline { $baseline }
err-cap-surge = { $at }: { $type }: surge within 72h ({ $s72 }) is less than within 24h ({ $s24 }); the 72h figure includes the 24h one
err-cap-node-line = { $error } ({ $path } line { $line })

## Options, reports, writing files
err-writing = writing { $path }
err-creating = creating { $path }
err-status-value = --status: '{ $value }' is not one of actual, exercise, test
err-cursor = --cursor: '{ $cursor }' is not in this list (start again without --cursor)
err-report-period = --period: '{ $value }' is not a year, e.g. 2026
err-report-evaluations = the evaluations
err-report-assistance = assistance
err-report-in-control = the in-control card
err-report-in-control-of = the in-control card of { $region }
err-report-distribution = the national distribution
err-report-agreements = the agreements
err-report-quality = data quality
err-report-coverage = agreement coverage
err-pdf-no-chromium = --format pdf prints the report with headless Chromium, which is not installed: `apt-get install chromium` (Debian), or set CHROMIUM=/path/to/chromium; --format html writes the same report to print from any browser
err-pdf-tempdir = a temporary folder for printing
err-pdf-path = { $path }: not a usable path
err-pdf-start = starting { $browser }
err-pdf-slow = { $browser } did not print the report within { $seconds_shown } s
err-pdf-failed = { $browser } could not print { $path }: { $status }; { $message }
