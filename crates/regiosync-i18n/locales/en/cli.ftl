# The command line's texts for people (regiosync <command>): table headers, labels, states,
# notes and confirmations. With --json regiosync never prints these texts, but English keys
# and times in UTC.

## Common
cli-yes = yes
cli-no = no
cli-more = more: --cursor { $cursor }
cli-ago = { $span } ago
cli-ahead = in { $span }
cli-span-now = <1 min
cli-span-min = { $n_shown } min
cli-span-hours = { $n_shown } h
cli-span-days = { $n ->
    [one] 1 day
   *[other] { $n_shown } days
}
cli-marker-stale = STALE
cli-marker-missing = MISSING
cli-marker-unreported = NOT REPORTED
cli-marker-exercise = EXERCISE
cli-marker-test = TEST
cli-marker-overdue = OVERDUE
cli-status-never-counted = { $status }   << { $marker }: never counted >>
cli-shared-with = shared with { $list }
cli-bytes = { $n_shown } bytes
cli-bytes-binary = { $n_shown } bytes (binary)

## Entries of the log (publish, list, show)
cli-entry-published = published { $id } as { $origin } seq { $seq }
cli-entries = { $n ->
    [one] 1 entry
   *[other] { $n_shown } entries
}
cli-col-origin = origin
cli-col-seq = seq
cli-col-kind = kind
cli-col-status = status
cli-col-created = created
cli-col-audience = audience
cli-col-bytes = bytes
cli-col-id = id
cli-entry-id = id
cli-entry-origin-seq = origin / seq
cli-entry-kind = kind
cli-entry-status = status
cli-entry-created = created
cli-entry-expires = expires
cli-entry-audience = audience
cli-entry-supersedes = supersedes
cli-entry-key = signed by key
cli-entry-size = size
cli-entry-payload = payload

## The node (status, backup)
cli-node-status = node { $node }: { $held_shown } entries held, { $refused_shown } refused from peers
cli-node-writes-paused = WRITES PAUSED: { $list }
cli-node-damaged = damaged in the store, set aside until a peer sends them again: { $list }
cli-node-missing = missing (vouched for by a peer that could not send them; asked for again): { $list }
cli-node-held = held per origin: { $list }
cli-col-peer = peer
cli-col-address = address
cli-col-connected = connected
cli-col-behind = behind
cli-col-last-contact = last contact
cli-col-last-error = last error
cli-up-to-date = up to date
cli-backup-written = backup written on the node's host: { $path } ({ $bytes })

## Labels used more often
cli-label-record = record
cli-label-status = status
cli-label-as-of = as of
cli-label-valid-until = valid until
cli-label-remarks = remarks
cli-label-reason = reason
cli-record-by-at = { $id } by { $author }, { $at }
cli-col-region = region
cli-col-as-of = as of
cli-col-valid-until = valid until
cli-col-record = record
cli-col-marker = marker
cli-col-remarks = remarks
cli-col-resource-type = resource type
cli-col-group = group
cli-col-baseline = baseline
cli-col-available = available
cli-col-committed = committed
cli-col-out-of-service = out of service
cli-col-surge-24h = +24h
cli-col-surge-72h = +72h

## Capacity (capacity publish, show, list)
cli-cap-published = published the capacity of { $region } as record { $id }: { $types ->
    [one] 1 resource type
   *[other] { $types_shown } resource types
}, as of { $as_of }, valid until { $until }
cli-cap-stale-expired = { $marker }, expired { $ago }
cli-cap-title = Capacity of { $region }
cli-cap-until-stale = { $until }   << { $marker }: { $ago }, not counted >>
cli-cap-counts = counts in totals
cli-cap-older = older reports
cli-cap-superseded = { $n ->
    [one] 1 superseded by this one
   *[other] { $n_shown } superseded by this one
}
cli-col-types = types
cli-col-not-normal = not normal
cli-cap-more = { $list } (+{ $n_shown } more)
cli-cap-list-summary = { $n ->
    [one] 1 report
   *[other] { $n_shown } reports
}: { $counted_shown } current and counted, { $stale_shown } stale
cli-cap-none-missing = every region has an actual report
cli-cap-missing = without an actual report ({ $n_shown }):
cli-cap-warn-passed = warning: this report is valid until { $at }, which has already passed: it shows as stale at once and counts in no national total
cli-minutes = { $n_shown } minutes

## Agreements (agreement propose, sign, reject, withdraw, revoke, show, list)
cli-ag-proposed = proposed agreement { $id } version { $version } as record { $record } ({ $region })
cli-ag-hash = content hash { $hash }
cli-ag-review-and-sign = every party reviews it and signs with:
cli-ag-signed = { $region } signed agreement { $id } (record { $record })
cli-ag-rejected = { $region } rejected agreement { $id } (record { $record })
cli-ag-withdrew = { $region } withdrew from agreement { $id } (record { $record })
cli-ag-revoked = { $region } revoked agreement { $id } (record { $record })
cli-ag-now = agreement { $id } is now { $state }
cli-ag-still-waits = version { $version } still waits for { $list }
cli-ag-withdrawal-effective = the withdrawal takes effect { $at }
cli-ag-title = Agreement { $id }: { $title }
cli-ag-state = state
cli-ag-in-force = version in force
cli-ag-never-active = none (never active)
cli-ag-newest = newest version
cli-ag-days-left = { $n ->
    [one] 1 day left
   *[other] { $n_shown } days left
}
cli-ag-days-passed = { $n ->
    [one] passed 1 day ago
   *[other] passed { $n_shown } days ago
}
cli-ag-withdrawal = WITHDRAWAL
cli-ag-withdrawal-value = by { $region } on { $at }, takes effect { $effective } ({ $ago })
cli-ag-revocation = REVOKED
cli-ag-rejection = REJECTED
cli-ag-act-by = by { $region } on { $at } (record { $record })
cli-ag-ignored = Records about this agreement that do not count:
cli-ag-expiring-soon = { $n ->
    [one] << EXPIRING SOON: 1 day left >>
   *[other] << EXPIRING SOON: { $n_shown } days left >>
}
cli-ag-version = Version { $version }  [{ $state }]  record { $record }
cli-ag-content-hash = content hash
cli-ag-proposed-label = proposed
cli-ag-proposed-value = { $at } by { $author } ({ $ago })
cli-ag-parties = parties
cli-ag-signed-label = signed
cli-ag-signed-value = { $region }  { $at }  by { $author }  (record { $record })
cli-ag-not-signed-yet = NOT SIGNED YET
cli-ag-waiting-since = { $list }: waiting since { $at } ({ $ago })
cli-ag-to-sign = to sign
cli-ag-never-signed-by = never signed by
cli-ag-active-from = active from
cli-ag-title-label = title
cli-ag-purpose = purpose
cli-ag-hazards = hazards
cli-ag-resources = resources (max)
cli-ag-area = area
cli-ag-may-request = may request
cli-ag-from-escalation = from escalation
cli-ag-under-way = under way within
cli-ag-procedure = procedure
cli-ag-costs = costs
cli-ag-command = command/liability
cli-ag-valid = valid
cli-ag-valid-value = { $from } to { $to }, notice { $days ->
    [one] 1 day
   *[other] { $days_shown } days
}
cli-ag-code-lists = code lists
cli-ag-code-lists-value = version { $version }
cli-col-agreement = agreement
cli-col-title = title
cli-col-parties = parties
cli-col-state = state
cli-col-in-force = in force
cli-col-newest = newest
cli-col-notes = notes
cli-ag-note-expiring = EXPIRING SOON ({ $n_shown } d)
cli-ag-note-waits = waits for { $list } since { $ago }
cli-ag-note-withdrawal = withdrawal by { $party } effective { $at }
cli-ag-note-ignored = { $n ->
    [one] 1 ignored record
   *[other] { $n_shown } ignored records
}
cli-ag-count = { $n ->
    [one] 1 agreement
   *[other] { $n_shown } agreements
}

## Evaluations (evaluation submit, show, list)
cli-ev-submitted = submitted the evaluation of '{ $event }' ({ $date }) for { $region } as record { $record }
cli-ev-corrected = corrected evaluation { $corrects } of '{ $event }' ({ $date }) for { $region }: the current version is now record { $record }
cli-ev-already-filed = already filed: the evaluation of '{ $event }' ({ $date }) with this content is record { $record }; nothing new was stored
cli-ev-already-filed-hint = to change it, correct it: regiosync evaluation correct { $record } --file ...
cli-ev-as-corrected = everyone the corrected version went to
cli-ev-withdrew = withdrew evaluation { $id } of { $region } as record { $record }: it is shown as withdrawn and counts nowhere
cli-ev-state = state
cli-ev-state-current = current
cli-ev-state-superseded = SUPERSEDED by { $by } (this is an older version)
cli-ev-state-withdrawn = WITHDRAWN on { $at } by { $author } (record { $record }): { $reason }
cli-ev-versions = versions
cli-ev-versions-value = { $list } (oldest first)
cli-ev-not-counted = not counted
cli-ev-marker-withdrawn = WITHDRAWN
cli-ev-every-region = every region and NL
cli-ev-nl = NL
cli-ev-title = Evaluation { $record } of { $region }: { $event }
cli-ev-event = event
cli-ev-event-value = { $kind } on { $date }
cli-ev-hazard = hazard
cli-ev-escalation = highest escalation
cli-ev-evaluator = evaluator
cli-ev-submitted-label = submitted
cli-ev-submitted-value = { $at } by { $author }
cli-ev-board = reported to board
cli-ev-board-not-yet = NOT YET   << no "in control" evidence >>
cli-col-area = area
cli-col-rating = rating
cli-col-note = note
cli-ev-strengths = Strengths
cli-ev-improve = Areas for improvement
cli-ev-actions-none = Improvement actions: none
cli-ev-actions = Improvement actions:
cli-col-description = description
cli-col-owner = owner
cli-col-due = due
cli-col-overdue = overdue
cli-col-verified = verified
cli-ev-verified-by = { $result } (by { $by })
cli-ev-checked-earlier = This evaluation checked earlier actions:
cli-ev-checked-line = { $evaluation } action { $action }: { $result }
cli-col-date = date
cli-col-event = event
cli-col-escalation = escalation
cli-col-ratings = P/S/M/U/NO
cli-col-actions = actions
cli-col-board = board
cli-ev-open-of = { $open } open of { $all }
cli-ev-not-yet = NOT YET
cli-ev-count = { $n ->
    [one] 1 evaluation
   *[other] { $n_shown } evaluations
}

## Assistance (assist request, offer, decline, accept, status, release, close, route, show, list, export)
cli-as-written = { $what } as record { $record } of { $region }
cli-as-written-on = { $what } on request { $request } as record { $record } of { $region }
cli-as-did-asked = asked for assistance
cli-as-did-offered = offered
cli-as-did-declined = declined
cli-as-did-committed = committed
cli-as-did-reported = reported
cli-as-did-released = released
cli-as-did-closed = closed
cli-as-did-cancelled = cancelled
cli-as-did-routed = routed
cli-as-title = Assistance request { $record } of { $region }: { $state }
cli-as-incident = incident
cli-as-escalation = escalation
cli-as-what-happened = what happened
cli-as-where = where
cli-as-needed-by = needed by
cli-as-requested = requested
cli-as-requested-value = { $at } by { $author }
cli-as-by-agreements = agreements { $list }
cli-as-by-members = members { $list }
cli-as-by-neighbours = the neighbours
cli-as-by-national = the national level (LOCC) to route it
cli-as-nobody = nobody directly
cli-as-asked = asked
cli-as-asked-value = { $asked } (by { $how })
cli-as-routed = routed
cli-as-routed-value = to { $list } by { $by } { $at }
cli-as-first-offer-after = first offer after
cli-as-committed-after = committed after
cli-as-covered-after = covered after
cli-as-cooperation = cooperation
cli-as-lesson = lesson
cli-col-line = line
cli-col-requested = requested
cli-col-minimum = minimum
cli-col-offered = offered
cli-col-on-scene = on scene
cli-col-released = released
cli-col-asked = asked
cli-col-answer = answer
cli-col-after = after
cli-as-answers = Answers:
cli-col-by = by
cli-col-offers = offers
cli-col-eta = eta
cli-as-above-available = { " " }(above the { $n } its report shows available)
cli-as-no-current-report = { " " }(no current capacity report)
cli-as-offer-open = open
cli-as-offer-committed = committed
cli-as-offer-partially_committed = partially committed
cli-as-offer-lapsed = lapsed
cli-as-offer-declined = declined
cli-as-units = Committed units:
cli-col-offer = offer
cli-col-units = units
cli-col-since = since
cli-col-until = until
cli-as-deployment-committed = committed
cli-as-timeline = Timeline:
cli-col-when = when
cli-col-step = step
cli-col-what = what
cli-as-ignored = Records that do not count:
cli-as-none = no assistance requests held here
cli-col-request = request
cli-col-incident = incident
cli-col-lines = lines (committed/requested)
cli-col-no-answer = no answer yet
cli-col-requested-at = requested
cli-col-edxl-message = EDXL-RM message
cli-col-file = file
cli-as-exported = { $n ->
    [one] 1 EDXL-RM 1.0 message
   *[other] { $n_shown } EDXL-RM 1.0 messages
} of request { $request } in { $folder }

## Data quality (query data-quality)
cli-dq-title = Data quality per region, as this node holds it
cli-col-capacity-as-of = capacity as of
cli-col-reports = reports
cli-col-evaluations = evaluations
cli-col-not-to-board = not to board
cli-col-newest-evaluation = newest evaluation
cli-col-refused = refused
cli-dq-no-evaluations = NO EVALUATIONS
cli-dq-forked = LOG FORKED
cli-dq-damaged = DAMAGED (entries awaiting a peer)
cli-dq-unsent = MISSING (entries no peer could send yet)
cli-dq-summary = capacity: { $current_shown } current, { $stale_shown } stale, { $missing_shown } missing; evaluations not reported to the board: { $unreported_shown } in { $regions ->
    [one] 1 region
   *[other] { $regions_shown } regions
}; refused entries: { $refused_shown }; regions this node is behind on: { $behind_shown }

## National capacity and one resource type (query national-capacity, query resource)
cli-nc-title = National capacity at { $at }, from the current actual reports of { $n_shown } of 25 regions
cli-col-regions = regions
cli-nc-as-of-one = every counted report is as of { $first }
cli-nc-as-of-range = counted reports are as of { $first } .. { $last }
cli-nc-why-stale = { $marker }, expired { $ago }: not counted
cli-nc-why-missing = { $marker }: no actual report
cli-nc-why-exercise = EXERCISE / TEST reports only: never counted
cli-nc-all-counted = every region's current actual report is counted
cli-nc-not-counted = Not counted ({ $n ->
    [one] 1 region
   *[other] { $n_shown } regions
}):
cli-col-why = why
cli-rr-title = { $what } per region
cli-rr-asking = << asking region
cli-rr-summary = counted (current, actual): { $counted ->
    [one] 1 region
   *[other] { $counted_shown } regions
}, { $available } of { $baseline } available; not counted: { $stale_shown } stale, { $unreported_shown } not reported
cli-rr-no-partners = No active agreement of { $region } covers { $what }.
cli-rr-partners = Partners of { $region } for { $what } (active agreements covering it):
cli-col-partner = partner
cli-col-version = version
cli-col-max-per-request = max per request
cli-col-available-now = available now
cli-rr-callable-none = callable now: nothing — no partner has current capacity of this type available
cli-rr-callable = callable now: up to { $units ->
    [one] 1 unit
   *[other] { $units_shown } units
} from { $from ->
    [one] 1 partner
   *[other] { $from_shown } partners
} (each capped by its agreement's maximum)

## Agreement coverage (query coverage)
cli-cov-by-state = Agreements by state: { $list }
cli-cov-none-held = none held
cli-cov-grid-title = Active agreements between regions ({ $n ->
    [one] 1 pair covered
   *[other] { $n_shown } pairs covered
}; the number is how many bind both):
cli-cov-grid-legend = n = active agreements binding both   ! = neighbours without one   . = none
cli-cov-all-neighbours = Every pair of neighbouring regions has an active agreement.
cli-cov-uncovered = Neighbouring regions WITHOUT an active agreement ({ $n_shown } of { $all_shown } pairs):
cli-col-no-agreement-with = no agreement with neighbours
cli-cov-invoked = Agreements invoked by assistance requests (partners' first answer, mean / median):
cli-col-requests = requests
cli-col-first-answer-min = first answer min
cli-cov-node-window = the node's window
cli-cov-days = { $n ->
    [one] 1 day
   *[other] { $n_shown } days
}
cli-cov-none-expiring = No active agreement expires within { $window }.
cli-cov-expiring = EXPIRING within { $window } ({ $n_shown }):
cli-col-days-left = days left
cli-cov-none-awaiting = No agreement version awaits signatures.
cli-cov-awaiting = Awaiting signatures ({ $n_shown }), longest wait first:
cli-col-not-signed-by = not signed by
cli-col-proposed = proposed
cli-col-waiting = waiting

## Assistance in figures (query assistance-open, query assistance)
cli-qa-open-title = Open assistance requests (actual), oldest first
cli-qa-none = None.
cli-col-requester = requester
cli-col-needed-by = needed by
cli-col-open-min = open (min)
cli-col-not-answered = not answered
cli-qa-requested = Requested { $at }
cli-qa-by-region-title = Assistance per region, requests made { $from } up to { $to } (actual)
cli-qa-by-agreement-title = Assistance per agreement, requests made { $from } up to { $to } (actual)
cli-col-made = made
cli-col-fill = fill (committed/requested)
cli-col-first-offer-min = first offer min
cli-col-first-commitment-min = first commitment min
cli-col-received = received
cli-col-answered = answered
cli-col-provided-asked = provided/asked
cli-col-offers-made = offers
cli-col-units-offered = units offered
cli-col-declines = declines
cli-col-partners-first-offer-min = partners' first offer min
cli-qa-used = Used: { $list }
cli-qa-never-used = Active, never used: { $list }
cli-qa-card-asked = assistance asked
cli-qa-card-asked-value = { $n ->
    [one] 1 request
   *[other] { $n_shown } requests
} from { $from } up to { $to }, committed { $fill }
cli-qa-card-given = assistance given
cli-qa-card-given-value = asked { $n ->
    [one] once
   *[other] { $n_shown } times
}, answered { $answered }, provided { $fill }, first answer after { $minutes } min (mean / median)
cli-qa-without = { $n_shown } none

## Ratings and the in-control card (query benchmark, query in-control)
cli-bm-every-year = every year held
cli-bm-title = Ratings per area, { $years }: { $n ->
    [one] 1 actual evaluation
   *[other] { $n_shown } actual evaluations
} counted (exercise- and test-status records never count)
cli-bm-beside = { $region } beside the national counts
cli-col-year = year
cli-bm-weak-legend = M+U = share of major challenges or unable to perform among the observed ratings
cli-ic-title = "In control" card of { $region }
cli-ic-no-evaluations = none held   << no evaluation to show >>
cli-ic-evaluations = { $n }, newest event { $latest }
cli-ic-board = board last informed
cli-ic-board-never = NEVER   << no "in control" evidence >>
cli-ic-capacity-missing = -   << { $marker }: no actual report >>
cli-ic-capacity-stale = { $at }   << { $marker }: not counted >>
cli-ic-actions = improvement actions
cli-ic-actions-value = { $open } open, { $overdue ->
    [0] none overdue
   *[other] { $overdue_shown } OVERDUE
}
cli-ic-weak-twice = << M/U TWICE IN A ROW >>
cli-col-latest = latest
cli-col-previous = previous
cli-col-trend = trend
cli-ic-open-actions-none = Open improvement actions: none
cli-ic-open-actions = Open improvement actions ({ $n }, { $overdue } overdue), overdue first:
