//! The words of the sample evaluations: places, events, and per rated area what went well, what
//! must improve, the improvement actions and who owns them. Written the way Dutch evaluation
//! reports (IFV, regional quality teams, the inspectorate) phrase them.

/// Per rated area, in the order of the `rated_areas` code list (`CodeLists::rated_areas`):
/// how much harder than average each area tends to go (added to a region's base level).
/// Information management and crisis communication are the usual weak spots.
pub const AREA_BIAS: [f64; 8] = [-0.4, 0.0, 0.55, 0.45, 0.35, 0.1, 0.25, -0.3];

/// Three places in each region, VR01..VR25.
pub const PLACES: [[&str; 3]; 25] = [
    ["Delfzijl", "Eemshaven", "Groningen"],
    ["Leeuwarden", "Harlingen", "Lauwersoog"],
    ["Assen", "Emmen", "Hoogeveen"],
    ["Zwolle", "Deventer", "Kampen"],
    ["Enschede", "Hengelo", "Almelo"],
    ["Apeldoorn", "Zutphen", "Doetinchem"],
    ["Arnhem", "Ede", "Barneveld"],
    ["Nijmegen", "Tiel", "Wijchen"],
    ["Utrecht", "Amersfoort", "Nieuwegein"],
    ["Alkmaar", "Den Helder", "Hoorn"],
    ["Zaandam", "Purmerend", "Volendam"],
    ["Haarlem", "IJmuiden", "Zandvoort"],
    ["Amsterdam", "Amstelveen", "Westpoort"],
    ["Hilversum", "Huizen", "Weesp"],
    ["Den Haag", "Delft", "Zoetermeer"],
    ["Leiden", "Gouda", "Alphen aan den Rijn"],
    ["Rotterdam", "Botlek", "Maasvlakte"],
    ["Dordrecht", "Gorinchem", "Zwijndrecht"],
    ["Vlissingen", "Terneuzen", "Middelburg"],
    ["Breda", "Tilburg", "Moerdijk"],
    ["'s-Hertogenbosch", "Oss", "Uden"],
    ["Eindhoven", "Helmond", "Veldhoven"],
    ["Venlo", "Roermond", "Venray"],
    ["Maastricht", "Heerlen", "Geleen"],
    ["Lelystad", "Almere", "Urk"],
];

/// An event: kind, hazard, highest GRIP level, and its name with `{}` for the place.
pub struct EventTemplate {
    pub kind: &'static str,
    pub hazard: &'static str,
    pub grip: u8,
    pub name: &'static str,
}

const fn ev(kind: &'static str, hazard: &'static str, grip: u8, name: &'static str) -> EventTemplate {
    EventTemplate {
        kind,
        hazard,
        grip,
        name,
    }
}

pub const EVENTS: [EventTemplate; 18] = [
    ev(
        "incident",
        "fire_industrial",
        2,
        "Grote brand bedrijfsverzamelgebouw {}",
    ),
    ev("incident", "fire_urban", 1, "Woningbrand met meerdere slachtoffers {}"),
    ev("incident", "hazmat_release", 2, "Ammoniaklekkage koelhuis {}"),
    ev("incident", "storm", 3, "Storm en wateroverlast {} e.o."),
    ev("incident", "power_outage", 2, "Langdurige stroomstoring {}"),
    ev(
        "incident",
        "transport_accident",
        1,
        "Kettingbotsing met tankwagen bij {}",
    ),
    ev(
        "incident",
        "cyber_disruption",
        2,
        "Uitval meldkamersystemen en C2000-storing {}",
    ),
    ev("incident", "drinking_water", 3, "Verontreiniging drinkwater {}"),
    ev("incident", "public_order", 1, "Ongeregeldheden rond evenement {}"),
    ev("incident", "extreme_heat", 2, "Hittegolf en natuurbrandrisico {}"),
    ev("exercise", "flood", 4, "Systeemoefening hoogwater {}"),
    ev(
        "exercise",
        "mass_casualty",
        2,
        "Oefening ongeval met veel slachtoffers {}",
    ),
    ev("exercise", "tunnel_incident", 1, "Tunneloefening {}"),
    ev("exercise", "cbrn", 3, "CBRN-oefening {}"),
    ev("exercise", "evacuation", 4, "Bestuurlijke oefening evacuatie {}"),
    ev("exercise", "aviation_accident", 2, "Oefening vliegtuigongeval {}"),
    ev(
        "exercise",
        "fire_industrial",
        2,
        "ROT-oefening brand chemisch bedrijf {}",
    ),
    ev(
        "exercise",
        "infectious_disease",
        3,
        "Beleidsteamoefening uitbraak infectieziekte {}",
    ),
];

/// What went well, per area.
pub const STRENGTHS: [[&str; 2]; 8] = [
    [
        "De meldkamer alarmeerde alle crisisfunctionarissen binnen de normtijd",
        "Snelle en eenduidige eerste melding met een bruikbare situatieschets",
    ],
    [
        "Heldere leiding in het CoPI met duidelijke besluiten en prioriteiten",
        "De OL hield de ROT-vergadering kort en gericht op besluiten",
    ],
    [
        "Het actuele beeld in LCMS was steeds binnen een half uur bijgewerkt",
        "Informatiemanagers stemden het beeld tussen CoPI, ROT en BT goed af",
    ],
    [
        "Eerste publieksbericht binnen 30 minuten via NL-Alert en sociale media",
        "Omgevingsanalyse en kernboodschap sloten goed aan bij de vragen van inwoners",
    ],
    [
        "Overdracht aan de gemeente met een volledig overdrachtsdocument",
        "Nazorg voor getroffen inwoners was tijdig belegd",
    ],
    [
        "Crisisfunctionarissen kenden hun rol en de procedures goed",
        "Goede inzet van nieuwe piketfunctionarissen na het OTO-programma",
    ],
    [
        "De evaluatie werd binnen zes weken afgerond en besproken",
        "Verbeterpunten uit eerdere evaluaties waren aantoonbaar opgepakt",
    ],
    [
        "Vlotte samenwerking met waterschap, politie en Rijkswaterstaat",
        "Goede afstemming met de buurregio over de inzet van bijstand",
    ],
];

/// What must improve, per area.
pub const IMPROVEMENTS: [[&str; 2]; 8] = [
    [
        "Opschaling naar GRIP verliep vertraagd doordat de melding onvolledig was",
        "Alarmering van de ketenpartners ging via verschillende systemen en duurde te lang",
    ],
    [
        "Onduidelijk wie besliste over het stilleggen van het treinverkeer",
        "ROT en BT namen besluiten zonder onderlinge afstemming van prioriteiten",
    ],
    [
        "Het totaalbeeld in LCMS liep meer dan een uur achter op de werkelijkheid",
        "Beelden van CoPI en ROT spraken elkaar tegen over het aantal slachtoffers",
    ],
    [
        "Publiekscommunicatie kwam pas na twee uur op gang",
        "Tegenstrijdige berichten van gemeente en veiligheidsregio op sociale media",
    ],
    [
        "De overdracht aan de gemeente was niet voorbereid; nazorg bleef liggen",
        "Geen overdrachtsdocument; onduidelijk wie verantwoordelijk was voor de nafase",
    ],
    [
        "Meerdere piketfunctionarissen hadden hun verplichte oefeningen niet gevolgd",
        "Onvoldoende kennis van het rampbestrijdingsplan bij het ROT",
    ],
    [
        "Verbeteracties uit eerdere evaluaties waren niet belegd of niet gevolgd",
        "Evaluatie kwam laat gereed en werd niet aan het bestuur gerapporteerd",
    ],
    [
        "Afstemming met de buurregio over bijstand verliep via informele lijnen",
        "Ketenpartners sloten laat aan bij het ROT",
    ],
];

/// Improvement actions, per area.
pub const ACTIONS: [[&str; 2]; 8] = [
    [
        "Uitvraagprotocol meldkamer aanpassen en trainen met alle centralisten",
        "Alarmering van ketenpartners onderbrengen in één alarmeringssysteem",
    ],
    [
        "Besluitvormingsmodel voor ROT en BT vastleggen en twee keer per jaar beoefenen",
        "Rolkaart OL en leider CoPI herzien en mandaten expliciet maken",
    ],
    [
        "Netcentrisch werken in LCMS trainen met alle informatiemanagers en -coördinatoren",
        "Vaste beeldvormingsronde van 30 minuten invoeren met een tweede informatiemanager",
    ],
    [
        "Afspraken met gemeenten over woordvoering en sociale media vastleggen",
        "Pool communicatieadviseurs uitbreiden en piketrooster herzien",
    ],
    [
        "Draaiboek overdracht nafase opstellen met de gemeenten",
        "Overdrachtsdocument standaard opnemen in het ROT-proces",
    ],
    [
        "Registratie vakbekwaamheid in het OTO-systeem sluitend maken",
        "Jaarplan oefenen uitbreiden met multidisciplinaire oefeningen voor het ROT",
    ],
    [
        "Verbeteracties beleggen bij een eigenaar en elk kwartaal aan het bestuur rapporteren",
        "Evaluatieprotocol vaststellen: rapport binnen acht weken naar het algemeen bestuur",
    ],
    [
        "Convenanten met waterschap en Rijkswaterstaat actualiseren",
        "Bovenregionale bijstandsafspraken met de buurregio's formaliseren in regiosync",
    ],
];

/// Who owns actions, per area.
pub const OWNERS: [&str; 8] = [
    "Hoofd gemeenschappelijke meldkamer",
    "Sectorhoofd crisisbeheersing",
    "Coördinator informatiemanagement",
    "Hoofd communicatie veiligheidsregio",
    "Coördinerend functionaris bevolkingszorg",
    "Coördinator opleiden, trainen en oefenen",
    "Adviseur kwaliteitszorg",
    "Netwerkregisseur crisisbeheersing",
];

/// Why an area was rated M or U, per area.
pub const WEAK_NOTES: [&str; 8] = [
    "Alarmering en opschaling vertraagd",
    "Besluitvorming traag en niet afgestemd",
    "Geen actueel gedeeld beeld",
    "Publiek laat en tegenstrijdig geïnformeerd",
    "Nafase niet overgedragen",
    "Piketfunctionarissen niet (aantoonbaar) vakbekwaam",
    "Verbetercyclus niet gesloten",
    "Partners laat of niet aangesloten",
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The words per area follow the shipped code list's rated areas, one for one.
    #[test]
    fn one_text_per_rated_area() {
        let areas = regiosync_records::CodeLists::rated_areas().len();
        for (what, n) in [
            ("AREA_BIAS", AREA_BIAS.len()),
            ("STRENGTHS", STRENGTHS.len()),
            ("IMPROVEMENTS", IMPROVEMENTS.len()),
            ("ACTIONS", ACTIONS.len()),
            ("OWNERS", OWNERS.len()),
            ("WEAK_NOTES", WEAK_NOTES.len()),
        ] {
            assert_eq!(n, areas, "{what}");
        }
    }
}
