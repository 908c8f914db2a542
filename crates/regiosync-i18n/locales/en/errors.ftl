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
