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
