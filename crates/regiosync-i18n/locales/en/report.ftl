# The report for the regional board (`regiosync report`) and the national picture.
# A translator changes only the text right of the `=`; the name on the left stays.
# Numbers and dates arrive formatted ($n_shown, $at, ...); a count $n chooses the plural:
# { $n -> [one] ... *[other] ... }.

report-title-region = { $name }: in control in { $period }
report-title-national = The safety regions: the national picture { $period }
report-for-board = Report for the general board of { $name }
report-for-ministry = Report for the Ministry of Justice and Security and the Inspectorate of Justice and Security
report-period = Period
report-period-value = { $from } up to and including { $to }
report-node = Data from
report-node-value = node { $node }
report-data-at = Data as of
report-asked-as = Asked by
report-made-by = Made with regiosync { $version }. Every figure comes from the node named, as it held it at the time of the data; exercise and test data never count.
report-footer = { $name } · { $period } · node { $node } · data as of { $at }
report-contents = Contents

sec-summary = Key figures
sec-ratings = Ratings per area
sec-ratings-intro = Each area's rating in the evaluations of { $period } (newest first), and the trend of the latest evaluation against the one before.
sec-weak = M or U twice in a row
sec-actions = Improvement actions
sec-actions-intro = Open actions (of every year) and actions a later evaluation verified.
sec-board = Board informed
sec-board-intro = When the board was informed of each evaluation of { $period }.
sec-agreements = Cooperation agreements
sec-assistance = Assistance given and received
sec-assistance-intro = Assistance requests from { $from } up to and including { $to }, actual ones only (no exercise or test).
sec-national = Against the national picture
sec-national-intro = Ratings per area in { $year }: { $name } against every region, as node { $node } holds them.
sec-freshness = How current the data is
sec-regions = Per region
sec-national-ratings = The national distribution of ratings
sec-coverage = Cooperation agreements across the country

fig-evaluations = Evaluations in the period
fig-latest-event = Latest event evaluated
fig-board-last = Board last informed
fig-board-days = { $days ->
    [0] today
    [one] { $days_shown } day ago
   *[other] { $days_shown } days ago
}
fig-open-actions = Open improvement actions
fig-overdue = Of which overdue
fig-verified = Verified by a later evaluation
fig-weak-twice = Areas rated M or U twice in a row
fig-capacity = Capacity data
fig-capacity-as-of = as of { $at }
fig-capacity-stale = { $at }, stale
value-never = never
value-none = none
value-dash = –
value-of = { $part } of { $whole } ({ $pct })
value-median = { $median } (median over { $n_shown } { $n ->
    [one] request
   *[other] requests
})
value-without = { $n_shown } without
value-yes = yes
value-no = no

col-area = Area
col-previous = Previous
col-latest = Latest
col-trend = Trend
trend-better = better
trend-worse = worse
trend-same = same
trend-first = first rating
weak-none = No area was rated M or U twice in a row.
weak-some = These areas were rated M or U in the last two evaluations: { $areas }.

col-action = Action
col-owner = Owner
col-due = Due
col-status = Status
col-verified = Verification
col-evaluation = Evaluation
action-overdue = { $status }, overdue
action-verified = { $result } (by { $by })
actions-none = No open or verified improvement actions.

col-event = Event
col-date = Date
col-kind = Kind
col-reported = Reported to the board
col-days-after = Days after the event
board-not-reported = not reported
board-none = No evaluations of events in { $period }.

col-agreement = Agreement
col-title = Title
col-partners = Partners
col-state = State
agreement-expiring = { $state }, ends in { $days_shown } { $days ->
    [one] day
   *[other] days
}
col-valid-until = Valid until
agreements-none = Node { $node } holds no agreement with { $name } as a party.

assist-as-requester = As the requesting region
assist-made = Requests made
assist-committed = Units committed of requested
assist-first-offer = First offer after
assist-first-commitment = First commitment after
assist-as-asked = As a region asked
assist-received = Requests received
assist-answered = Answered
assist-provided = Units provided of asked
assist-first-answer = First answer after
assist-declines = Declines

col-region = Region
col-national = National
col-figure = Figure
col-answered-by = Node
col-as-of = As of
fresh-card = In-control card, evaluations and improvement actions
fresh-capacity = { $name }'s latest capacity report
fresh-benchmark = National distribution ({ $n_shown } { $n ->
    [one] evaluation
   *[other] evaluations
})
fresh-assistance = Assistance
fresh-agreements = Agreements
fresh-quality = Data quality per region

col-evaluations = Evaluations
col-open-actions = Open actions
col-overdue = Overdue
col-weak-twice = M/U twice
col-capacity = Capacity
col-not-reported = Not reported to the board
col-assist-made = Assistance asked
col-assist-received = Asked for assistance
col-value = Value
col-count = Count
capacity-missing = no report
capacity-current = current
capacity-stale = stale
coverage-uncovered = Neighbouring regions without an active agreement

nat-board-never = Regions that never informed their board of an evaluation
nat-active = Active cooperation agreements
nat-assist-made = Assistance requests in the period

rating-legend = P performed without challenges · S with some challenges · M with major challenges · U unable to perform · NO not observed
