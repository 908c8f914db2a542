# Foutmeldingen voor mensen op de opdrachtregel (`fout: ...`). Met --json is de melding altijd
# de Engelse tekst, met een vaste code ernaast. Tekst van de node ("melding van de node") en van
# het besturingssysteem blijft zoals die hem schreven.

## Het kader
err-line = fout: { $error }
err-nothing = { "" }
err-the-node = de node
err-the-node-at = de node op { $node }

## Een weigering door de node: wat voor weigering, dan de eigen woorden van de node
err-status = { $kind ->
    [permission_denied] niet toegestaan
    [not_found] niet gevonden
    [already_exists] bestaat al
    [invalid_argument] niet aanvaard
    [failed_precondition] kan nu niet
    [aborted] tegelijk gewijzigd door een ander; probeer het opnieuw
    [resource_exhausted] de node kan niet schrijven of te veel tegelijk
    [data_loss] beschadigde gegevens op de node
    [unavailable] de node is nu niet beschikbaar
    [unauthenticated] niet aangemeld
    [deadline_exceeded] geen antwoord op tijd
    [internal] interne fout op de node
   *[other] geweigerd ({ $code })
} (melding van de node: { $message })

## Verbinden met een node
err-cannot-talk = kan niet met { $at } praten: { $error }
err-cannot-reach = { $at } is niet bereikbaar: { $why }
err-why-dns = de hostnaam is onbekend (DNS)
err-why-refused = verbinding geweigerd (draait de node, en klopt --node?)
err-why-timeout = geen antwoord op tijd (een firewall, of het verkeerde adres?)
err-why-no-route = geen route ernaartoe (controleer --node en uw netwerk)
err-why-address = het adres is niet beschikbaar (controleer --node)
err-closed = { $at } verbrak de verbinding zonder te zeggen waarom: probeer het opnieuw; gebeurt het steeds, dan staat in het auditlogboek van de node wat zij weigerde
err-node-untrusted = { $at } toonde een certificaat van een CA die uw CA-bundel niet vertrouwt: geef --ca (of --pki) van de federatie van deze node
err-node-expired = { $at } toonde een verlopen certificaat: de beheerder moet het vernieuwen (`regiosync pki renew`), of de klok van deze computer staat verkeerd
err-node-not-yet-valid = { $at } toonde een certificaat dat nog niet geldig is: controleer de klok van deze computer (en die van de node)
err-node-revoked = { $at } toonde een ingetrokken certificaat: de beheerder moet het vernieuwen
err-node-certificate = { $at } toonde een certificaat dat wij niet kunnen aanvaarden ({ $why }): vraag het de beheerder
err-tls = TLS met { $at } mislukte: { $error }
err-node-name = het certificaat van { $at }{ $owner }, niet een voor '{ $asked }'{ $carries }: controleer --node, of geef --server-name met een naam die erin staat
err-node-name-owner = { " " }is dat van { $owner }
err-node-name-carries = { " " }(het noemt { $names })
err-refused = { $at } weigert uw certificaat: het { $why }
err-refused-unknown-ca = is niet uitgegeven door een CA die de node vertrouwt: gebruik een certificaat van de CA van deze federatie
err-refused-expired = is verlopen of nog niet geldig: vraag een nieuw aan (`regiosync pki issue`), of controleer de klok van deze computer
err-refused-revoked = is ingetrokken: vraag een nieuw aan bij de CA van uw federatie
err-refused-missing = ontbreekt: geef --cert en --key (of --pki met --as)
err-refused-identity = draagt geen regiosync-identiteit die de node aanvaardt (een persoon van een lid van de federatie, urn:regiosync:operator:<lid>:<naam> of urn:regiosync:coordinator:<naam>, uitgegeven door een CA die dat lid mag gebruiken): in het auditlogboek van de node staat welke regel
err-alert = { $at } beëindigde de TLS-handshake met de melding { $alert }

## Bestanden
err-io-not-found = bestand of map bestaat niet
err-io-permission = geen toegang (rechten)
err-io-exists = bestaat al
err-io-full = de schijf is vol
err-io-read-only = het bestandssysteem is alleen-lezen
err-io-directory = is een map, geen bestand
err-io-not-directory = is geen map
err-io-invalid-data = ongeldige gegevens ({ $os })

## Een node bereiken: --node en uw certificaat
err-conn-node-required = --node (of REGIOSYNC_NODE) is nodig, bijvoorbeeld --node https://127.0.0.1:7101
err-conn-files-required = geef --ca/--cert/--key, of --pki MAP met --as NAAM
err-conn-as-required = --as NAAM is nodig bij --pki (bijvoorbeeld --as operator-vr01)
err-conn-read-ca = CA-bundel { $path }
err-conn-read-cert = certificaat { $path }
err-conn-read-key = privésleutel { $path }
err-conn-server-name = --server-name '{ $name }': geen hostnaam of adres
err-conn-node = --node '{ $node }'
err-conn-node-form = --node '{ $node }' moet de vorm https://host:poort hebben, bijvoorbeeld https://127.0.0.1:7101
err-conn-ca = de CA-bundel
err-conn-ca-empty = de CA-bundel bevat geen PEM-certificaat
err-conn-cert = uw certificaat
err-conn-cert-empty = uw certificaatbestand bevat geen PEM-certificaat
err-conn-key = uw privésleutel
err-conn-pair = uw certificaat en privésleutel horen niet bij elkaar

## Bestanden die mensen schrijven: gegevens (.toml, .json) en capaciteit uit een spreadsheet (.csv)
err-plain = { $text }
err-reading = { $path } lezen
err-at-line = { $name } regel { $line }
err-at-column = { $name } regel { $line }, kolom { $column }
err-file-format = { $path }: gegevens worden gelezen uit .toml- of .json-bestanden (zie config/examples/)
err-file-problem = { $at }: { $message }
err-file-problem-source = { $at } (`{ $source }`): { $message }
err-file-author = { $path }: { $what }author: laat dit weg; de node vult het in uit uw clientcertificaat
err-csv-byte = { $at }: byte { $byte } is geen UTF-8 en geen Windows-1252; sla het bestand op als CSV UTF-8
err-csv-empty = { $name }: het bestand is leeg; een kopregel is nodig
err-csv-fields = { $at }: { $fields_shown } velden, de kopregel heeft er maar { $header_shown } (veld { $field_shown } is '{ $value }'); mist een waarde aanhalingstekens?
err-csv-after-quote = { $at }: tekst ('{ $char }') na het sluitende aanhalingsteken van een veld; schrijf een aanhalingsteken binnen een veld tussen aanhalingstekens als ""
err-csv-stray-quote = { $at }: een aanhalingsteken in een veld zonder aanhalingstekens; zet het hele veld tussen aanhalingstekens en schrijf het aanhalingsteken als ""
err-csv-open-quote = { $at }: het aanhalingsteken dat hier opent, sluit nergens
err-cap-problems =
    { $name }: { $n ->
        [one] 1 probleem
       *[other] { $n_shown } problemen
    }
    { $problems }
err-cap-unnamed-column = { $at }: een waarde in een kolom zonder naam
err-cap-unknown-column = { $at }: onbekende kolom; de kolommen zijn { $known }
err-cap-same-column = { $at }: dezelfde kolom als kolom { $other } ('{ $other_name }')
err-cap-missing-column = { $at }: kolom { $column } ontbreekt (scheidingsteken '{ $separator }')
err-cap-no-lines = { $name }: geen regels na de kopregel; geef minstens één soort eenheid
err-cap-not-number = { $at }: '{ $value }' is geen geheel getal
err-cap-empty-number = { $at }: leeg; geef een geheel getal (0 als er geen zijn)
err-cap-what-type = soort eenheid
err-cap-what-status = inzetstatus
err-cap-empty-code = { $at }: leeg; geef een code voor { $what }
err-cap-not-code = { $at }: '{ $value }' is geen { $what } in codelijstversie { $version } ({ $hint })
err-cap-see-codelist = zie config/codelists/v{ $version }.toml, bijvoorbeeld TS, AMB, OvD-B
err-cap-twice = { $at }: { $type } staat al op regel { $earlier }
err-cap-over-baseline = { $at }: { $type }: beschikbaar { $available } + ingezet { $committed } + buiten dienst { $out } = { $used } is meer dan de basis { $baseline }
err-cap-surge = { $at }: { $type }: opschaling binnen 72 uur ({ $s72 }) is minder dan binnen 24 uur ({ $s24 }); het 72-uurscijfer omvat dat van 24 uur
err-cap-node-line = { $error } ({ $path } regel { $line })

## Opties, rapporten, bestanden schrijven
err-writing = { $path } schrijven
err-creating = { $path } aanmaken
err-status-value = --status: '{ $value }' is niet een van actual, exercise, test
err-cursor = --cursor: '{ $cursor }' hoort niet bij deze lijst (begin opnieuw zonder --cursor)
err-report-period = --period: '{ $value }' is geen jaar, bijvoorbeeld 2026
err-report-evaluations = de evaluaties
err-report-assistance = de bijstand
err-report-in-control = de in-control-kaart
err-report-in-control-of = de in-control-kaart van { $region }
err-report-distribution = de landelijke verdeling
err-report-agreements = de afspraken
err-report-quality = de datakwaliteit
err-report-coverage = de dekking van afspraken
err-pdf-no-chromium = --format pdf drukt het rapport af met Chromium zonder scherm, en dat is niet geïnstalleerd: `apt-get install chromium` (Debian), of zet CHROMIUM=/pad/naar/chromium; --format html schrijft hetzelfde rapport om vanuit elke browser af te drukken
err-pdf-tempdir = een tijdelijke map om af te drukken
err-pdf-path = { $path }: geen bruikbaar pad
err-pdf-start = { $browser } starten
err-pdf-slow = { $browser } drukte het rapport niet binnen { $seconds_shown } s af
err-pdf-failed = { $browser } kon { $path } niet afdrukken: { $status }; { $message }
