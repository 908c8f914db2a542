# De rapportage voor het bestuur (`regiosync report`) en het landelijk beeld.
# Een vertaler past alleen de tekst rechts van het `=` aan; de naam links blijft.
# Getallen en datums komen al opgemaakt binnen ($n_shown, $at, ...); een telling $n kiest
# het meervoud: { $n -> [one] ... *[other] ... }.

report-title-region = { $name }: in control in { $period }
report-title-national = De veiligheidsregio's: landelijk beeld { $period }
report-for-board = Rapportage voor het algemeen bestuur van { $name }
report-for-ministry = Rapportage voor het ministerie van Justitie en Veiligheid en de Inspectie Justitie en Veiligheid
report-period = Periode
report-period-value = { $from } tot en met { $to }
report-node = Gegevens van
report-node-value = node { $node }
report-data-at = Stand van de gegevens
report-asked-as = Opgevraagd door
report-made-by = Gemaakt met regiosync { $version }. Elk cijfer komt van de genoemde node, zoals die het had op het moment van de stand; oefen- en testgegevens tellen nergens mee.
report-footer = { $name } · { $period } · node { $node } · stand { $at }
report-contents = Inhoud

sec-summary = Kerncijfers
sec-ratings = Beoordelingen per aandachtsgebied
sec-ratings-intro = De beoordeling van elk aandachtsgebied in de evaluaties van { $period } (nieuwste eerst), en de trend van de laatste evaluatie ten opzichte van de evaluatie daarvoor.
sec-weak = Twee keer op rij M of U
sec-actions = Verbeteracties
sec-actions-intro = Openstaande acties (uit alle jaren) en acties die een latere evaluatie heeft geverifieerd.
sec-board = Bestuur geïnformeerd
sec-board-intro = Wanneer het bestuur over elke evaluatie van { $period } is geïnformeerd.
sec-agreements = Samenwerkingsafspraken
sec-assistance = Bijstand gegeven en ontvangen
sec-assistance-intro = Verzoeken om bijstand van { $from } tot en met { $to }, alleen echte (geen oefening of test).
sec-national = Vergelijking met het landelijk beeld
sec-national-intro = Aantal beoordelingen per aandachtsgebied in { $year }: { $name } tegenover alle regio's, zoals node { $node } ze heeft.
sec-freshness = Actualiteit van de gegevens
sec-regions = Per regio
sec-national-ratings = Landelijke verdeling van de beoordelingen
sec-coverage = Samenwerkingsafspraken in het land

fig-evaluations = Evaluaties in de periode
fig-latest-event = Laatst geëvalueerde gebeurtenis
fig-board-last = Bestuur laatst geïnformeerd
fig-board-days = { $days ->
    [0] vandaag
    [one] { $days_shown } dag geleden
   *[other] { $days_shown } dagen geleden
}
fig-open-actions = Openstaande verbeteracties
fig-overdue = Waarvan over de termijn
fig-verified = Geverifieerd in een latere evaluatie
fig-weak-twice = Aandachtsgebieden twee keer op rij M of U
fig-capacity = Capaciteitsgegevens
fig-capacity-as-of = stand { $at }
fig-capacity-stale = { $at }, verouderd
value-never = nooit
value-none = geen
value-dash = –
value-of = { $part } van { $whole } ({ $pct })
value-median = { $median } (mediaan over { $n_shown } { $n ->
    [one] verzoek
   *[other] verzoeken
})
value-without = { $n_shown } zonder
value-yes = ja
value-no = nee

col-area = Aandachtsgebied
col-previous = Vorige
col-latest = Laatste
col-trend = Trend
trend-better = beter
trend-worse = slechter
trend-same = gelijk
trend-first = eerste beoordeling
weak-none = Geen aandachtsgebied is twee keer op rij met M of U beoordeeld.
weak-some = Deze aandachtsgebieden kregen in de laatste twee evaluaties M of U: { $areas }.

col-action = Actie
col-owner = Eigenaar
col-due = Termijn
col-status = Status
col-verified = Verificatie
col-evaluation = Evaluatie
action-overdue = { $status }, over de termijn
action-verified = { $result } (door { $by })
actions-none = Geen openstaande of geverifieerde verbeteracties.

col-event = Gebeurtenis
col-date = Datum
col-kind = Soort
col-reported = Gemeld aan het bestuur
col-days-after = Dagen na de gebeurtenis
board-not-reported = niet gemeld
board-none = Geen evaluaties van gebeurtenissen in { $period }.

col-agreement = Afspraak
col-title = Titel
col-partners = Partners
col-state = Status
agreement-expiring = { $state }, loopt af over { $days_shown } { $days ->
    [one] dag
   *[other] dagen
}
col-valid-until = Geldig tot
agreements-none = Node { $node } heeft geen afspraak waarbij { $name } partij is.

assist-as-requester = Als vragende regio
assist-made = Verzoeken gedaan
assist-committed = Eenheden toegezegd van gevraagd
assist-first-offer = Eerste aanbod na
assist-first-commitment = Eerste toezegging na
assist-as-asked = Als gevraagde regio
assist-received = Verzoeken ontvangen
assist-answered = Beantwoord
assist-provided = Eenheden geleverd van gevraagd
assist-first-answer = Eerste antwoord na
assist-declines = Afwijzingen

col-region = Regio
col-national = Landelijk
col-figure = Gegeven
col-answered-by = Node
col-as-of = Stand
fresh-card = In-control-kaart, evaluaties en verbeteracties
fresh-capacity = Laatste capaciteitsmelding van { $name }
fresh-benchmark = Landelijke verdeling ({ $n_shown } { $n ->
    [one] evaluatie
   *[other] evaluaties
})
fresh-assistance = Bijstand
fresh-agreements = Afspraken
fresh-quality = Datakwaliteit per regio

col-evaluations = Evaluaties
col-open-actions = Open acties
col-overdue = Over termijn
col-weak-twice = 2× M/U
col-capacity = Capaciteit
col-not-reported = Niet gemeld aan bestuur
col-assist-made = Bijstand gevraagd
col-assist-received = Om bijstand gevraagd
col-value = Waarde
col-count = Aantal
capacity-missing = geen melding
capacity-current = actueel
capacity-stale = verouderd
coverage-uncovered = Buurregio's zonder actieve afspraak

nat-board-never = Regio's die het bestuur nog nooit over een evaluatie informeerden
nat-active = Actieve samenwerkingsafspraken
nat-assist-made = Verzoeken om bijstand in de periode

rating-legend = P zonder uitdagingen uitgevoerd · S met enkele uitdagingen · M met grote uitdagingen · U niet kunnen uitvoeren · NO niet waargenomen
