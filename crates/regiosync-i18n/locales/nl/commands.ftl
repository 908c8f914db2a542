# pki, node, node --check, restore, audit verify, de argumenten van de opdrachten voor mensen
# en wat de demo vertelt. Paden, opties (--force), bestandsnamen en de regels van node --check
# en audit verify (bestand:regel: wat) blijven zoals ze zijn.

## Wie een certificaat noemt
cmd-who-node = node { $node }
cmd-who-operator = { $name } (operator, { $region })
cmd-who-coordinator = { $name } (nationale coördinator)

## Bestanden
cmd-writing = kan { $path } niet schrijven
cmd-creating = kan { $path } niet aanmaken
cmd-replacing = kan { $path } niet vervangen
cmd-restricting = kan de rechten van { $path } niet beperken

## pki init, issue, renew, revoke
cmd-pki-init-wrote = ontwikkel-PKI voor een federatie geschreven in { $dir }:
cmd-pki-init-ca = CA van de federatie (houd ca.key geheim)
cmd-pki-init-nodes = certificaten van de nodes (+ .key)
cmd-pki-init-operators = één operator per regio (+ .key)
cmd-pki-init-coordinator = een nationale coördinator (+ .key)
cmd-pki-init-crl = de intrekkingslijst (CRL) van de CA (`pki revoke` vult die aan)
cmd-pki-exists-here = { $dir }: hier staat al een PKI (geef --force om die te vervangen)
cmd-pki-issued = { $cert } en { $key } geschreven ({ $who })
cmd-pki-issued-before = { $path } bestaat al ({ $who } is eerder uitgegeven): geef --force om het te vervangen, of een andere --name
cmd-pki-operator-national = --operator: een operator hoort bij een regio of partner, niet bij een nationale node; laat --operator weg voor een nationale coördinator
cmd-pki-renewed = { $cert } en { $key } geschreven (een vernieuwd certificaat voor { $node })
cmd-pki-no-pem = { $path }: geen PEM-certificaat
cmd-pki-revoked = { $cert } ({ $who }) ingetrokken: { $crl } noemt nu { $n ->
    [one] 1 certificaat
   *[other] { $n_shown } certificaten
}
cmd-pki-already-revoked = { $cert } ({ $who }) is al ingetrokken in { $crl }

## node, node --check, restore
cmd-node-listening = node { $node } luistert op { $url }
cmd-node-stopping = node { $node } stopt
cmd-check-passed = in orde: { $line }
cmd-check-clean = in orde: { $path }: geen problemen gevonden
cmd-check-problems = { $path }: { $n ->
    [one] 1 probleem
   *[other] { $n_shown } problemen
} gevonden
cmd-restore-not-a-backup = terugzetten uit { $from }: dit is geen back-up van een regiosync-opslag (de sled-bestanden `db` en `conf` ontbreken)
cmd-restore-store-there = terugzetten uit { $from }: in { $db } staat al een opslag; geef --replace om die opzij te zetten (die blijft bewaard)
cmd-restore-in-use = terugzetten uit { $from }: { $why } (draait de node nog? stop hem eerst)
cmd-restore-damaged = terugzetten uit { $from }: de kopie heeft { $count ->
    [one] 1 beschadigde waarde
   *[other] { $count_shown } beschadigde waarden
}, bijvoorbeeld { $example }
cmd-restore-moved-aside = de opslag die er al stond is opzijgezet als { $path }
cmd-restored = { $values ->
    [one] 1 waarde
   *[other] { $values_shown } waarden
} teruggezet in { $db }; bij de volgende start haalt de node eerst bij NL op wat zij na de back-up schreef, en pas daarna neemt zij weer schrijfopdrachten aan

## Opstarten
cmd-runtime = kan de async-runtime niet starten
cmd-sighup-handler = kan de afhandeling van SIGHUP niet instellen
cmd-rust-log-invalid = RUST_LOG={ $value } is geen geldig logfilter: { $error } (bijvoorbeeld RUST_LOG=info of RUST_LOG=warn,regiosync_node=debug)
cmd-rust-log-not-unicode = RUST_LOG={ $value } is geen geldige UTF-8

## audit verify
cmd-audit-no-origin = geen regel in de bestanden noemt de node die ze schreef; geef --origin
cmd-audit-fetching-anchors = kan de ankers van het auditlogboek van { $origin } niet ophalen
cmd-audit-problems = het auditlogboek heeft { $n ->
    [one] 1 probleem
   *[other] { $n_shown } problemen
}

## Argumenten van de opdrachten
cmd-not-a-moment = { $flag }: '{ $value }' is geen moment (now, +45m, +24h, -2h, +7d, of 2026-12-01 14:00 in Nederlandse tijd, 2026-12-01T14:00+01:00, 2026-12-01T13:00:00Z)
cmd-status-required = --status is verplicht: zeg of dit echte gegevens zijn, of gegevens van een oefening of een test (die tellen nooit mee in de landelijke totalen), bijvoorbeeld --status exercise
cmd-payload-file = --payload-file { $path }
cmd-payload-missing = geef --payload TEKST of --payload-file PAD
cmd-capacity-csv-times = --csv vraagt om --as-of en --valid-until, bijvoorbeeld --as-of now --valid-until +24h
cmd-capacity-no-input = geef een meldingsbestand (.toml of .json) of --csv BESTAND
cmd-agreement-state = --state: '{ $value }' bestaat niet; kies uit { $states }
cmd-agreement-hash = --hash: '{ $value }' is geen SHA-256 in hex (64 tekens, zoals `agreement show` die toont)
cmd-agreement-reason = --reason: verplicht, zeg waarom
cmd-evaluation-corrects = { $file }: corrects = "{ $corrects }", maar de opdracht corrigeert { $id }; laat corrects weg uit het bestand
cmd-assist-line = { $flag }: '{ $value }' is niet TYPE=N of TYPE=N/MIN (bijvoorbeeld TS=6 of TS=6/4)
cmd-assist-commit = --commit: '{ $value }' is niet AANBOD:TYPE=N (bijvoorbeeld VR15-3:TS=2)
cmd-assist-offer-minimum = --line: '{ $value }': een aanbod heeft geen minimum; schrijf TYPE=N
cmd-assist-lesson = --lesson vraagt om --cooperation (P, S, M of U): de evaluatie van de bijstand
cmd-assist-no-request = { $id }: het overzicht van de node bevat geen bijstandsverzoek
cmd-assist-no-body = { $id }: de node stuurde geen inhoud
cmd-assist-not-an-entry = { $id }: geen geldige vermelding
cmd-assist-payload = { $id }: de inhoud is niet te lezen
cmd-assist-not-a-record = { $id }: geen soort gegeven die regiosync kent
cmd-assist-edxl = { $id }: kan niet als EDXL-RM exporteren

## De demo
cmd-demo-temp-folder = kan geen tijdelijke map aanmaken
cmd-demo-starting = kan de demofederatie niet starten
cmd-demo-started = { $nodes_shown } nodes (NL + 25 regio's) gestart op 127.0.0.1 in { $ms_shown } ms: elke regio is peer van NL en, via { $links_shown } verbindingen tussen buren, rechtstreeks van haar buurregio's
cmd-demo-connected = 25 regionale operators en 1 nationale coördinator verbonden via wederzijdse TLS met persoonlijke certificaten in { $ms_shown } ms
cmd-demo-not-converged = niet alle nodes hadden binnen { $secs } s alle gegevens ({ $missing ->
    [one] 1 aflevering ontbreekt
   *[other] { $missing_shown } afleveringen ontbreken
})
cmd-demo-agreement-state = waarschuwing: afspraak { $id } is bij NL { $got }; het script had haar { $state } moeten maken
cmd-demo-written = geschreven via de Records-API in { $ms_shown } ms: { $capacity }, { $versions } ({ $agreements ->
    [one] 1 afspraak
   *[other] { $agreements_shown } afspraken
}), { $signatures }, { $rejections }, { $withdrawals }, { $revocations }, { $evaluations }
cmd-demo-n-capacity = { $n ->
    [one] 1 capaciteitsmelding
   *[other] { $n_shown } capaciteitsmeldingen
}
cmd-demo-n-versions = { $n ->
    [one] 1 versie van een afspraak
   *[other] { $n_shown } versies van afspraken
}
cmd-demo-n-signatures = { $n ->
    [one] 1 handtekening
   *[other] { $n_shown } handtekeningen
}
cmd-demo-n-rejections = { $n ->
    [one] 1 afwijzing
   *[other] { $n_shown } afwijzingen
}
cmd-demo-n-withdrawals = { $n ->
    [one] 1 opzegging
   *[other] { $n_shown } opzeggingen
}
cmd-demo-n-revocations = { $n ->
    [one] 1 intrekking
   *[other] { $n_shown } intrekkingen
}
cmd-demo-n-evaluations = { $n ->
    [one] 1 evaluatie
   *[other] { $n_shown } evaluaties
}
cmd-demo-delivered = alle { $deliveries_shown } afleveringen van die { $records_shown } gegevens (elk aan NL en de rest van de ontvangers) klaar { $ms_shown } ms na de eerste schrijfactie
cmd-demo-incident = Het incident: { $steps_shown } stappen van één bijstandsverzoek, elke stap door het lid dat hem zette, op de eigen node, in { $ms_shown } ms; het verzoek zoals NL het afleidt:
cmd-demo-assistance-questions = De landelijke vragen over bijstand bij NL, over vandaag (alleen echte verzoeken tellen mee):
cmd-demo-memory = geheugen: nu { $now } MiB in gebruik, op zijn hoogst { $peak } MiB (het hele proces, 26 nodes en 26 clients)
cmd-demo-stays-up = de federatie blijft draaien tot Ctrl-C; de nodes:
cmd-demo-try = certificaten van personen in { $pki }/people (coordinator, operator-vr01 .. operator-vr25); probeer:

## Het landelijke beeld van de demo
cmd-demo-pic-none = geen
cmd-demo-pic-code = code
cmd-demo-pic-capacity = Landelijke capaciteit bij NL ({ $who }, Records.ListCapacity): de som van { $reports ->
    [one] de ene geldige echte melding
   *[other] de { $reports_shown } geldige echte meldingen
}
cmd-demo-pic-valid-until = { $region } (geldig tot { $until })
cmd-demo-pic-not-counted = niet meegeteld: verouderd { $stale }; oefening { $exercise }; ontbreekt { $missing }
cmd-demo-pic-older = { $region } ({ $n ->
    [one] 1 oudere melding
   *[other] { $n_shown } oudere meldingen
})
cmd-demo-pic-superseded = vervangen door een nieuwere melding: { $list }
cmd-demo-pic-agreements = Afspraken bij NL (Records.ListAgreements): { $n_shown }
cmd-demo-pic-days-left = { $id } (nog { $days ->
    [one] 1 dag
   *[other] { $days_shown } dagen
})
cmd-demo-pic-withdrawing = { $id } (door { $party }, gaat in op { $date })
cmd-demo-pic-expiring = actief en verloopt binnen 60 dagen: { $list }
cmd-demo-pic-withdrawal-pending = actief, opzegging loopt: { $list }
cmd-demo-pic-amendment-pending = actief, wijziging wacht op handtekeningen: { $list }
cmd-demo-pic-evaluations = Evaluaties bij NL (Records.ListEvaluations): { $n_shown } van { $regions_shown } regio's, gebeurtenissen van { $from } tot { $to }; geen van { $without }
cmd-demo-pic-latest-ratings = beoordelingen in de laatste evaluatie van elke regio:
cmd-demo-pic-twice = twee keer op rij M of U
cmd-demo-pic-actions = verbeteracties: { $n_shown } ({ $done_shown } afgerond, { $overdue_shown } open en over termijn); nagegaan in een latere evaluatie: { $effective_shown } effectief, { $partly_shown } deels, { $not_effective_shown } niet effectief
cmd-demo-pic-board = gemeld aan het algemeen bestuur: { $reported_shown } van { $n_shown } evaluaties
