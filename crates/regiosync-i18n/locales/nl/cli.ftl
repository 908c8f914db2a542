# De teksten van de opdrachtregel (regiosync <opdracht>) voor mensen: tabelkoppen, labels,
# statussen, opmerkingen en bevestigingen. Met --json drukt regiosync nooit deze teksten af,
# maar Engelse sleutels en tijden in UTC.

## Algemeen
cli-yes = ja
cli-no = nee
cli-more = meer: --cursor { $cursor }
cli-ago = { $span } geleden
cli-ahead = over { $span }
cli-span-now = <1 min
cli-span-min = { $n_shown } min
cli-span-hours = { $n_shown } uur
cli-span-days = { $n ->
    [one] 1 dag
   *[other] { $n_shown } dagen
}
cli-marker-stale = VEROUDERD
cli-marker-missing = ONTBREEKT
cli-marker-unreported = NIET GEMELD
cli-marker-exercise = OEFENING
cli-marker-test = TEST
cli-marker-overdue = OVER TERMIJN
cli-status-never-counted = { $status }   << { $marker }: telt nooit mee >>
cli-shared-with = gedeeld met { $list }
cli-bytes = { $n_shown } bytes
cli-bytes-binary = { $n_shown } bytes (binair)

## Gegevens in het logboek (publish, list, show)
cli-entry-published = { $id } gepubliceerd als { $origin } volgnummer { $seq }
cli-entries = { $n ->
    [one] 1 vermelding
   *[other] { $n_shown } vermeldingen
}
cli-col-origin = bron
cli-col-seq = volgnr.
cli-col-kind = soort
cli-col-status = status
cli-col-created = geschreven
cli-col-audience = ontvangers
cli-col-bytes = bytes
cli-col-id = id
cli-entry-id = id
cli-entry-origin-seq = bron / volgnr.
cli-entry-kind = soort
cli-entry-status = status
cli-entry-created = geschreven
cli-entry-expires = verloopt
cli-entry-audience = ontvangers
cli-entry-supersedes = vervangt
cli-entry-key = sleutel
cli-entry-size = grootte
cli-entry-payload = inhoud

## De node (status, backup)
cli-node-status = node { $node }: { $held_shown } vermeldingen aanwezig, { $refused_shown } van peers geweigerd
cli-node-writes-paused = SCHRIJVEN GEPAUZEERD: { $list }
cli-node-damaged = beschadigd in de opslag, apart gezet tot een peer ze opnieuw stuurt: { $list }
cli-node-missing = ontbrekend (een peer staat ervoor in maar kon ze niet sturen; opnieuw gevraagd): { $list }
cli-node-held = aanwezig per bron: { $list }
cli-col-peer = peer
cli-col-address = adres
cli-col-connected = verbonden
cli-col-behind = achterstand
cli-col-last-contact = laatste contact
cli-col-last-error = laatste fout
cli-up-to-date = bijgewerkt
cli-backup-written = back-up geschreven op de host van de node: { $path } ({ $bytes })

## Labels die vaker voorkomen
cli-label-record = gegeven
cli-label-status = soort
cli-label-as-of = stand
cli-label-valid-until = geldig tot
cli-label-remarks = opmerkingen
cli-label-reason = reden
cli-record-by-at = { $id } door { $author }, { $at }
cli-col-region = regio
cli-col-as-of = stand
cli-col-valid-until = geldig tot
cli-col-record = gegeven
cli-col-marker = markering
cli-col-remarks = opmerkingen
cli-col-resource-type = eenheid
cli-col-group = groep
cli-col-baseline = basis
cli-col-available = beschikbaar
cli-col-committed = ingezet
cli-col-out-of-service = buiten dienst
cli-col-surge-24h = +24u
cli-col-surge-72h = +72u

## Capaciteit (capacity publish, show, list)
cli-cap-published = capaciteit van { $region } gepubliceerd als gegeven { $id }: { $types ->
    [one] 1 soort eenheid
   *[other] { $types_shown } soorten eenheden
}, stand { $as_of }, geldig tot { $until }
cli-cap-stale-expired = { $marker }, verlopen { $ago }
cli-cap-title = Capaciteit van { $region }
cli-cap-until-stale = { $until }   << { $marker }: { $ago }, telt niet mee >>
cli-cap-counts = telt mee in totalen
cli-cap-older = oudere meldingen
cli-cap-superseded = { $n ->
    [one] 1 vervangen door deze
   *[other] { $n_shown } vervangen door deze
}
cli-col-types = soorten
cli-col-not-normal = niet normaal
cli-cap-more = { $list } (+{ $n_shown } meer)
cli-cap-list-summary = { $n ->
    [one] 1 melding
   *[other] { $n_shown } meldingen
}: { $counted_shown } actueel en meegeteld, { $stale_shown } verouderd
cli-cap-none-missing = elke regio heeft een echte melding
cli-cap-missing = zonder echte melding ({ $n_shown }):
cli-cap-warn-passed = waarschuwing: deze melding is geldig tot { $at }, en dat is al voorbij: ze geldt meteen als verouderd en telt in geen landelijk totaal mee
cli-minutes = { $n_shown } min

## Afspraken (agreement propose, sign, reject, withdraw, revoke, show, list)
cli-ag-proposed = afspraak { $id } versie { $version } voorgesteld als gegeven { $record } ({ $region })
cli-ag-hash = inhoud (SHA-256) { $hash }
cli-ag-review-and-sign = elke partij beoordeelt de inhoud en ondertekent met:
cli-ag-signed = { $region } heeft afspraak { $id } ondertekend (gegeven { $record })
cli-ag-rejected = { $region } heeft afspraak { $id } afgewezen (gegeven { $record })
cli-ag-withdrew = { $region } heeft afspraak { $id } opgezegd (gegeven { $record })
cli-ag-revoked = { $region } heeft afspraak { $id } ingetrokken (gegeven { $record })
cli-ag-now = afspraak { $id } is nu: { $state }
cli-ag-still-waits = versie { $version } wacht nog op { $list }
cli-ag-withdrawal-effective = de opzegging gaat in op { $at }
cli-ag-title = Afspraak { $id }: { $title }
cli-ag-state = status
cli-ag-in-force = geldende versie
cli-ag-never-active = geen (nooit actief geweest)
cli-ag-newest = nieuwste versie
cli-ag-days-left = { $n ->
    [one] nog 1 dag
   *[other] nog { $n_shown } dagen
}
cli-ag-days-passed = { $n ->
    [one] 1 dag geleden verstreken
   *[other] { $n_shown } dagen geleden verstreken
}
cli-ag-withdrawal = OPZEGGING
cli-ag-withdrawal-value = door { $region } op { $at }, gaat in op { $effective } ({ $ago })
cli-ag-revocation = INGETROKKEN
cli-ag-rejection = AFGEWEZEN
cli-ag-act-by = door { $region } op { $at } (gegeven { $record })
cli-ag-ignored = Gegevens over deze afspraak die niet meetellen:
cli-ag-expiring-soon = { $n ->
    [one] << LOOPT BINNENKORT AF: nog 1 dag >>
   *[other] << LOOPT BINNENKORT AF: nog { $n_shown } dagen >>
}
cli-ag-version = Versie { $version }  [{ $state }]  gegeven { $record }
cli-ag-content-hash = inhoud (SHA-256)
cli-ag-proposed-label = voorgesteld
cli-ag-proposed-value = { $at } door { $author } ({ $ago })
cli-ag-parties = partijen
cli-ag-signed-label = ondertekend
cli-ag-signed-value = { $region }  { $at }  door { $author }  (gegeven { $record })
cli-ag-not-signed-yet = NOG NIET ONDERTEKEND
cli-ag-waiting-since = { $list }: wacht sinds { $at } ({ $ago })
cli-ag-to-sign = ondertekenen
cli-ag-never-signed-by = nooit ondertekend door
cli-ag-active-from = actief sinds
cli-ag-title-label = titel
cli-ag-purpose = doel
cli-ag-hazards = incidenttypen
cli-ag-resources = eenheden (max.)
cli-ag-area = gebied
cli-ag-may-request = mag aanvragen
cli-ag-from-escalation = vanaf opschaling
cli-ag-under-way = onderweg binnen
cli-ag-procedure = procedure
cli-ag-costs = kostenvergoeding
cli-ag-command = leiding/aansprakelijkheid
cli-ag-valid = geldig
cli-ag-valid-value = { $from } tot { $to }, opzegtermijn { $days ->
    [one] 1 dag
   *[other] { $days_shown } dagen
}
cli-ag-code-lists = codelijsten
cli-ag-code-lists-value = versie { $version }
cli-col-agreement = afspraak
cli-col-title = titel
cli-col-parties = partijen
cli-col-state = status
cli-col-in-force = geldend
cli-col-newest = nieuwste
cli-col-notes = opmerkingen
cli-ag-note-expiring = LOOPT BINNENKORT AF ({ $n_shown } d)
cli-ag-note-waits = wacht op { $list } sinds { $ago }
cli-ag-note-withdrawal = opzegging door { $party } gaat in op { $at }
cli-ag-note-ignored = { $n ->
    [one] 1 gegeven telt niet mee
   *[other] { $n_shown } gegevens tellen niet mee
}
cli-ag-count = { $n ->
    [one] 1 afspraak
   *[other] { $n_shown } afspraken
}

## Evaluaties (evaluation submit, show, list)
cli-ev-submitted = evaluatie van '{ $event }' ({ $date }) voor { $region } ingediend als gegeven { $record }
cli-ev-corrected = evaluatie { $corrects } van '{ $event }' ({ $date }) voor { $region } gecorrigeerd: de geldende versie is nu gegeven { $record }
cli-ev-already-filed = al ingediend: de evaluatie van '{ $event }' ({ $date }) met deze inhoud is gegeven { $record }; er is niets nieuws opgeslagen
cli-ev-already-filed-hint = om haar te wijzigen, corrigeer haar: regiosync evaluation correct { $record } --file ...
cli-ev-as-corrected = iedereen die de gecorrigeerde versie kreeg
cli-ev-withdrew = evaluatie { $id } van { $region } ingetrokken als gegeven { $record }: zij staat als ingetrokken en telt nergens mee
cli-ev-state = status
cli-ev-state-current = geldend
cli-ev-state-superseded = VERVANGEN door { $by } (dit is een oudere versie)
cli-ev-state-withdrawn = INGETROKKEN op { $at } door { $author } (gegeven { $record }): { $reason }
cli-ev-versions = versies
cli-ev-versions-value = { $list } (oudste eerst)
cli-ev-not-counted = telt niet mee
cli-ev-marker-withdrawn = INGETROKKEN
cli-ev-every-region = elke regio en NL
cli-ev-nl = NL
cli-ev-title = Evaluatie { $record } van { $region }: { $event }
cli-ev-event = gebeurtenis
cli-ev-event-value = { $kind } op { $date }
cli-ev-hazard = incidenttype
cli-ev-escalation = hoogste opschaling
cli-ev-evaluator = evaluator
cli-ev-submitted-label = ingediend
cli-ev-submitted-value = { $at } door { $author }
cli-ev-board = gemeld aan het bestuur
cli-ev-board-not-yet = NOG NIET   << geen bewijs van "in control" >>
cli-col-area = aandachtsgebied
cli-col-rating = beoordeling
cli-col-note = toelichting
cli-ev-strengths = Sterke punten
cli-ev-improve = Verbeterpunten
cli-ev-actions-none = Verbeteracties: geen
cli-ev-actions = Verbeteracties:
cli-col-description = omschrijving
cli-col-owner = eigenaar
cli-col-due = termijn
cli-col-overdue = over termijn
cli-col-verified = geverifieerd
cli-ev-verified-by = { $result } (door { $by })
cli-ev-checked-earlier = Deze evaluatie controleerde eerdere acties:
cli-ev-checked-line = { $evaluation } actie { $action }: { $result }
cli-col-date = datum
cli-col-event = gebeurtenis
cli-col-escalation = opschaling
cli-col-ratings = P/S/M/U/NO
cli-col-actions = acties
cli-col-board = bestuur
cli-ev-open-of = { $open } open van { $all }
cli-ev-not-yet = NOG NIET
cli-ev-count = { $n ->
    [one] 1 evaluatie
   *[other] { $n_shown } evaluaties
}

## Bijstand (assist request, offer, decline, accept, status, release, close, route, show, list, export)
cli-as-written = { $what } als gegeven { $record } van { $region }
cli-as-written-on = { $what } op verzoek { $request } als gegeven { $record } van { $region }
cli-as-did-asked = om bijstand gevraagd
cli-as-did-offered = aangeboden
cli-as-did-declined = afgewezen
cli-as-did-committed = toegezegd
cli-as-did-reported = inzetstatus gemeld
cli-as-did-released = vrijgegeven
cli-as-did-closed = afgesloten
cli-as-did-cancelled = ingetrokken
cli-as-did-routed = doorgezet
cli-as-title = Bijstandsverzoek { $record } van { $region }: { $state }
cli-as-incident = incident
cli-as-escalation = opschaling
cli-as-what-happened = wat er gebeurde
cli-as-where = waar
cli-as-needed-by = nodig uiterlijk
cli-as-requested = gevraagd
cli-as-requested-value = { $at } door { $author }
cli-as-by-agreements = afspraken { $list }
cli-as-by-members = deelnemers { $list }
cli-as-by-neighbours = de buurregio's
cli-as-by-national = het landelijk niveau (LOCC) om door te zetten
cli-as-nobody = niemand rechtstreeks
cli-as-asked = gevraagd aan
cli-as-asked-value = { $asked } (via { $how })
cli-as-routed = doorgezet
cli-as-routed-value = naar { $list } door { $by } { $at }
cli-as-first-offer-after = eerste aanbod na
cli-as-committed-after = toegezegd na
cli-as-covered-after = gedekt na
cli-as-cooperation = samenwerking
cli-as-lesson = les
cli-col-line = regel
cli-col-requested = gevraagd
cli-col-minimum = minimaal
cli-col-offered = aangeboden
cli-col-on-scene = ter plaatse
cli-col-released = vrijgegeven
cli-col-asked = gevraagd
cli-col-answer = antwoord
cli-col-after = na
cli-as-answers = Antwoorden:
cli-col-by = door
cli-col-offers = biedt aan
cli-col-eta = verwacht
cli-as-above-available = { " " }(meer dan de { $n } die de eigen melding als beschikbaar toont)
cli-as-no-current-report = { " " }(geen actuele capaciteitsmelding)
cli-as-offer-open = open
cli-as-offer-committed = toegezegd
cli-as-offer-partially_committed = deels toegezegd
cli-as-offer-lapsed = vervallen
cli-as-offer-declined = afgewezen
cli-as-units = Toegezegde eenheden:
cli-col-offer = aanbod
cli-col-units = eenheden
cli-col-since = sinds
cli-col-until = tot
cli-as-deployment-committed = toegezegd
cli-as-timeline = Verloop:
cli-col-when = wanneer
cli-col-step = stap
cli-col-what = wat
cli-as-ignored = Gegevens die niet meetellen:
cli-as-none = geen bijstandsverzoeken op deze node
cli-col-request = verzoek
cli-col-incident = incident
cli-col-lines = regels (toegezegd/gevraagd)
cli-col-no-answer = nog geen antwoord
cli-col-requested-at = gevraagd op
cli-col-edxl-message = EDXL-RM-bericht
cli-col-file = bestand
cli-as-exported = { $n ->
    [one] 1 EDXL-RM 1.0-bericht
   *[other] { $n_shown } EDXL-RM 1.0-berichten
} van verzoek { $request } in { $folder }

## Datakwaliteit (query data-quality)
cli-dq-title = Datakwaliteit per regio, zoals deze node de gegevens heeft
cli-col-capacity-as-of = capaciteit per
cli-col-reports = meldingen
cli-col-evaluations = evaluaties
cli-col-not-to-board = niet aan bestuur
cli-col-newest-evaluation = nieuwste evaluatie
cli-col-refused = geweigerd
cli-dq-no-evaluations = GEEN EVALUATIES
cli-dq-forked = LOGBOEK GESPLITST
cli-dq-damaged = BESCHADIGD (vermeldingen wachten op een peer)
cli-dq-unsent = ONTBREEKT (vermeldingen die nog geen peer kon sturen)
cli-dq-summary = capaciteit: { $current_shown } actueel, { $stale_shown } verouderd, { $missing_shown } ontbreekt; evaluaties niet gemeld aan het bestuur: { $unreported_shown } in { $regions ->
    [one] 1 regio
   *[other] { $regions_shown } regio's
}; geweigerde vermeldingen: { $refused_shown }; regio's waarop deze node achterloopt: { $behind_shown }

## Landelijke capaciteit en één soort eenheid (query national-capacity, query resource)
cli-nc-title = Landelijke capaciteit op { $at }, uit de actuele echte meldingen van { $n_shown } van de 25 regio's
cli-col-regions = regio's
cli-nc-as-of-one = elke meegetelde melding heeft stand { $first }
cli-nc-as-of-range = de meegetelde meldingen hebben stand { $first } .. { $last }
cli-nc-why-stale = { $marker }, verlopen { $ago }: telt niet mee
cli-nc-why-missing = { $marker }: geen echte melding
cli-nc-why-exercise = alleen OEFENING- of TEST-meldingen: tellen nooit mee
cli-nc-all-counted = de actuele echte melding van elke regio telt mee
cli-nc-not-counted = Niet meegeteld ({ $n ->
    [one] 1 regio
   *[other] { $n_shown } regio's
}):
cli-col-why = waarom
cli-rr-title = { $what } per regio
cli-rr-asking = << vragende regio
cli-rr-summary = meegeteld (actueel, echt): { $counted ->
    [one] 1 regio
   *[other] { $counted_shown } regio's
}, { $available } van { $baseline } beschikbaar; niet meegeteld: { $stale_shown } verouderd, { $unreported_shown } niet gemeld
cli-rr-no-partners = Geen actieve afspraak van { $region } dekt { $what }.
cli-rr-partners = Partners van { $region } voor { $what } (actieve afspraken die dit dekken):
cli-col-partner = partner
cli-col-version = versie
cli-col-max-per-request = max. per verzoek
cli-col-available-now = nu beschikbaar
cli-rr-callable-none = nu op te roepen: niets — geen partner heeft actuele capaciteit van deze soort beschikbaar
cli-rr-callable = nu op te roepen: tot { $units ->
    [one] 1 eenheid
   *[other] { $units_shown } eenheden
} van { $from ->
    [one] 1 partner
   *[other] { $from_shown } partners
} (elk begrensd door het maximum van de afspraak)

## Dekking door afspraken (query coverage)
cli-cov-by-state = Afspraken naar status: { $list }
cli-cov-none-held = geen
cli-cov-grid-title = Actieve afspraken tussen regio's ({ $n ->
    [one] 1 paar gedekt
   *[other] { $n_shown } paren gedekt
}; het getal is het aantal afspraken dat beide bindt):
cli-cov-grid-legend = n = actieve afspraken die beide binden   ! = buren zonder afspraak   . = geen
cli-cov-all-neighbours = Elk paar buurregio's heeft een actieve afspraak.
cli-cov-uncovered = Buurregio's ZONDER actieve afspraak ({ $n_shown } van { $all_shown } paren):
cli-col-no-agreement-with = geen afspraak met buren
cli-cov-invoked = Afspraken waarop bijstandsverzoeken een beroep deden (eerste antwoord van partners, gemiddeld / mediaan):
cli-col-requests = verzoeken
cli-col-first-answer-min = eerste antwoord min
cli-cov-node-window = de termijn van de node
cli-cov-days = { $n ->
    [one] 1 dag
   *[other] { $n_shown } dagen
}
cli-cov-none-expiring = Geen actieve afspraak loopt af binnen { $window }.
cli-cov-expiring = LOOPT AF binnen { $window } ({ $n_shown }):
cli-col-days-left = dagen over
cli-cov-none-awaiting = Geen versie van een afspraak wacht op handtekeningen.
cli-cov-awaiting = Wacht op handtekeningen ({ $n_shown }), langst wachtend eerst:
cli-col-not-signed-by = niet ondertekend door
cli-col-proposed = voorgesteld
cli-col-waiting = wacht

## Bijstand in cijfers (query assistance-open, query assistance)
cli-qa-open-title = Open bijstandsverzoeken (echt), oudste eerst
cli-qa-none = Geen.
cli-col-requester = vragende regio
cli-col-needed-by = nodig uiterlijk
cli-col-open-min = open (min)
cli-col-not-answered = niet beantwoord
cli-qa-requested = Gevraagd { $at }
cli-qa-by-region-title = Bijstand per regio, verzoeken gedaan van { $from } tot { $to } (echt)
cli-qa-by-agreement-title = Bijstand per afspraak, verzoeken gedaan van { $from } tot { $to } (echt)
cli-col-made = gedaan
cli-col-fill = vulling (toegezegd/gevraagd)
cli-col-first-offer-min = eerste aanbod min
cli-col-first-commitment-min = eerste toezegging min
cli-col-received = ontvangen
cli-col-answered = beantwoord
cli-col-provided-asked = geleverd/gevraagd
cli-col-offers-made = aanbiedingen
cli-col-units-offered = eenheden aangeboden
cli-col-declines = afwijzingen
cli-col-partners-first-offer-min = eerste aanbod partners min
cli-qa-used = Gebruikt: { $list }
cli-qa-never-used = Actief, nooit gebruikt: { $list }
cli-qa-card-asked = bijstand gevraagd
cli-qa-card-asked-value = { $n ->
    [one] 1 verzoek
   *[other] { $n_shown } verzoeken
} van { $from } tot { $to }, toegezegd { $fill }
cli-qa-card-given = bijstand verleend
cli-qa-card-given-value = { $n ->
    [one] 1 keer gevraagd
   *[other] { $n_shown } keer gevraagd
}, { $answered } beantwoord, geleverd { $fill }, eerste antwoord na { $minutes } min (gemiddeld / mediaan)
cli-qa-without = { $n_shown } zonder

## Beoordelingen en de in-control-kaart (query benchmark, query in-control)
cli-bm-every-year = alle jaren
cli-bm-title = Beoordelingen per aandachtsgebied, { $years }: { $n ->
    [one] 1 echte evaluatie
   *[other] { $n_shown } echte evaluaties
} meegeteld (gegevens met de soort oefening of test tellen nooit mee)
cli-bm-beside = { $region } naast de landelijke aantallen
cli-col-year = jaar
cli-bm-weak-legend = M+U = aandeel grote uitdagingen of niet uitgevoerd onder de waargenomen beoordelingen
cli-ic-title = "In control"-kaart van { $region }
cli-ic-no-evaluations = geen   << geen evaluatie om te tonen >>
cli-ic-evaluations = { $n }, nieuwste gebeurtenis { $latest }
cli-ic-board = bestuur laatst geïnformeerd
cli-ic-board-never = NOOIT   << geen bewijs van "in control" >>
cli-ic-capacity-missing = -   << { $marker }: geen echte melding >>
cli-ic-capacity-stale = { $at }   << { $marker }: telt niet mee >>
cli-ic-actions = verbeteracties
cli-ic-actions-value = { $open } open, { $overdue ->
    [0] geen over de termijn
   *[other] { $overdue_shown } OVER TERMIJN
}
cli-ic-weak-twice = << TWEE KEER OP RIJ M/U >>
cli-col-latest = laatste
cli-col-previous = vorige
cli-col-trend = trend
cli-ic-open-actions-none = Openstaande verbeteracties: geen
cli-ic-open-actions = Openstaande verbeteracties ({ $n }, { $overdue } over de termijn), over de termijn eerst:
