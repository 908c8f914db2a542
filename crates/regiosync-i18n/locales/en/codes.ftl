# Names of codes in English: code-<list>-<code> (the code lists themselves are Dutch), and the
# names of states that are not in a code list.

# Resource types: units, teams, officials on duty, beds and places.
code-resource_types-TS = Fire engine
code-resource_types-HV = Heavy rescue vehicle
code-resource_types-AL = Aerial ladder
code-resource_types-HW = Aerial platform
code-resource_types-SW = Hose tender
code-resource_types-GWT = High-volume water transport module
code-resource_types-NBV = Wildland fire engine
code-resource_types-ABV = Breathing apparatus support unit
code-resource_types-RV = Aerial rescue vehicle
code-resource_types-SB = Foam tender
code-resource_types-HA = Hook-lift truck with container
code-resource_types-CoPI-UNIT = CoPI unit (on-scene command vehicle)
code-resource_types-USAR = USAR team (urban search and rescue)
code-resource_types-DRONE = Drone team
code-resource_types-WO = Water rescue vehicle
code-resource_types-DT = Dive team
code-resource_types-OR = Surface water rescue team
code-resource_types-BV = Fireboat
code-resource_types-GPT = Hazmat entry team (gas-tight suits)
code-resource_types-MPGS = Hazmat monitoring team
code-resource_types-OE = Decontamination unit
code-resource_types-CBRN-VK = CBRN reconnaissance unit
code-resource_types-OvD-B = Duty officer (fire service)
code-resource_types-HOvD = Senior duty officer (fire service)
code-resource_types-CvD = Duty commander
code-resource_types-AGS = Hazmat adviser
code-resource_types-OvD-G = Duty officer (medical)
code-resource_types-CaCo = Control room emergency coordinator
code-resource_types-L-CoPI = CoPI leader
code-resource_types-OL = Operational commander
code-resource_types-IM-CoPI = Information manager, CoPI
code-resource_types-IM-ROT = Information manager, ROT
code-resource_types-IM-BT = Information manager, policy team
code-resource_types-CA = Communications adviser
code-resource_types-AC-B = Chief of fire service
code-resource_types-AC-GZ = Chief of medical care
code-resource_types-AC-BZ = Chief of population care
code-resource_types-OvD-BZ = Duty officer (population care)
code-resource_types-AMB = Ambulance
code-resource_types-MMT = Mobile medical team
code-resource_types-GNK = Medical response unit
code-resource_types-SIGMA = SIGMA team (Red Cross)
code-resource_types-BED-IC = Intensive care bed (adults)
code-resource_types-BED-IC-KIND = Paediatric intensive care bed
code-resource_types-BED-SEH = Emergency department treatment bay
code-resource_types-BED-KLIN = Inpatient bed
code-resource_types-BED-BRW = Burn care bed
code-resource_types-BED-ISO = Isolation bed (negative pressure)
code-resource_types-OPV = Shelter place (per person)
code-resource_types-EVAC-BUS = Evacuation bus
code-resource_types-EVAC-ROL = Wheelchair-accessible evacuation bus

# Rated areas: the five crisis processes and three conditions the inspectorate measures.
code-rated_areas-melding_alarmering = Alerting and notification
code-rated_areas-leiding_coordinatie = Command and coordination
code-rated_areas-informatiemanagement = Information management
code-rated_areas-crisiscommunicatie = Crisis communication
code-rated_areas-overdracht_nafase = Handover to recovery
code-rated_areas-vakbekwaamheid = Professional competence
code-rated_areas-kwaliteitszorg = Quality assurance
code-rated_areas-samenwerking = Cooperation

# Ratings (after the HSEEP four-point scale), plus "not observed".
code-ratings-P = Performed without challenges
code-ratings-S = Performed with some challenges
code-ratings-M = Performed with major challenges
code-ratings-U = Unable to perform
code-ratings-NO = Not observed

# Escalation levels (GRIP, the Coordinated Regional Incident Management Procedure).
code-escalation_levels-GRIP0 = GRIP 0: routine emergency response, on-scene liaison
code-escalation_levels-GRIP1 = GRIP 1: source and effect control, CoPI
code-escalation_levels-GRIP2 = GRIP 2: effects beyond the incident scene, ROT
code-escalation_levels-GRIP3 = GRIP 3: threat to public welfare in one municipality, municipal policy team
code-escalation_levels-GRIP4 = GRIP 4: more than one municipality, regional policy team
code-escalation_levels-GRIP5 = GRIP 5: more than one safety region, inter-regional coordination
code-escalation_levels-OPERATIONEEL = Operational coordination (ROT), no GRIP number
code-escalation_levels-REGIONAAL = Regional administrative coordination (regional policy team), no GRIP number
code-escalation_levels-BOVENREGIONAAL = Inter-regional coordination (more than one safety region), no GRIP number

# Record status: what a record describes.
code-record_status-actual = Actual
code-record_status-exercise = Exercise
code-record_status-test = Test

# Party roles: a party's role in an agreement.
code-party_roles-requesting = Requesting party
code-party_roles-assisting = Assisting party
code-party_roles-both = Requesting and assisting party

# Hazards an agreement covers or an event concerned.
code-hazards-fire_urban = Fire in a built-up area
code-hazards-fire_industrial = Industrial or storage fire
code-hazards-wildfire = Wildfire
code-hazards-flood = Flood
code-hazards-storm = Severe weather and storm
code-hazards-hazmat_release = Release of hazardous substances
code-hazards-cbrn = CBRN incident
code-hazards-mass_casualty = Mass casualty incident
code-hazards-infectious_disease = Infectious disease outbreak
code-hazards-power_outage = Power outage
code-hazards-drinking_water = Drinking water supply disruption
code-hazards-public_order = Public order disturbance
code-hazards-evacuation = Large-scale evacuation
code-hazards-water_rescue = Water accident
code-hazards-transport_accident = Road or rail accident
code-hazards-aviation_accident = Aviation accident
code-hazards-building_collapse = Building collapse
code-hazards-tunnel_incident = Tunnel incident
code-hazards-cyber_disruption = Cyber incident or ICT outage
code-hazards-extreme_heat = Extreme heat

# Crisis functions: officials who may request assistance under an agreement.
code-crisis_functions-OL = Operational commander
code-crisis_functions-CvD = Duty commander
code-crisis_functions-HOvD = Senior duty officer (fire service)
code-crisis_functions-leider_CoPI = CoPI leader
code-crisis_functions-CaCo = Control room emergency coordinator
code-crisis_functions-AC_brandweer = Chief of fire service
code-crisis_functions-AC_GZ = Chief of medical care
code-crisis_functions-AC_bevolkingszorg = Chief of population care
code-crisis_functions-DPG = Director of public health
code-crisis_functions-burgemeester = Mayor
code-crisis_functions-voorzitter_VR = Chair of the safety region

# Resource status: the state of a capacity line.
code-resource_status-normal = Normal
code-resource_status-reduced = Reduced
code-resource_status-critical = Critical
code-resource_status-unavailable = Unavailable

# Event kinds: what an evaluation is about.
code-event_kinds-incident = Incident
code-event_kinds-exercise = Exercise

# Evaluation methods: how an evaluation was made.
code-evaluation_methods-self_assessment = Self-assessment
code-evaluation_methods-peer_review = Peer review
code-evaluation_methods-external_review = External review
code-evaluation_methods-inspectorate = Investigation by the Inspectorate of Justice and Security
code-evaluation_methods-after_action_review = After-action review

# Action status: the state of an improvement action.
code-action_status-open = Open
code-action_status-in_progress = In progress
code-action_status-done = Done

# Verification results: what a later evaluation found of an earlier action.
code-verification_results-effective = Effective
code-verification_results-partly_effective = Partly effective
code-verification_results-not_effective = Not effective

# Decline reasons: why an addressed member declines an assistance request.
code-decline_reasons-no_capacity = No units available
code-decline_reasons-own_incident = Units needed for an incident of its own
code-decline_reasons-minimum_coverage = Would fall below its own minimum coverage
code-decline_reasons-travel_time = Travel time too long for the time requested
code-decline_reasons-not_equipped = Not equipped for this deployment
code-decline_reasons-covered_elsewhere = Already covered by others
code-decline_reasons-other = Other reason (see explanation)

# Deployment states: the states of committed units.
code-deployment_states-departed = Departed
code-deployment_states-on_scene = On scene
code-deployment_states-extended = Deployment extended
code-deployment_states-released = Released
code-deployment_states-returned = Returned

agreement-state-proposed = proposed
agreement-state-partially_signed = partially signed
agreement-state-signed = signed, not yet in force
agreement-state-active = active
agreement-state-expired = expired
agreement-state-withdrawn = withdrawn
agreement-state-revoked = revoked
agreement-state-rejected = rejected
agreement-state-superseded = superseded
