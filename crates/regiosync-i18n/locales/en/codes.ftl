# Names of codes in English: code-<list>-<code> (the code lists themselves are Dutch), and the
# names of states that are not in a code list.

code-rated_areas-melding_alarmering = Alerting and notification
code-rated_areas-leiding_coordinatie = Command and coordination
code-rated_areas-informatiemanagement = Information management
code-rated_areas-crisiscommunicatie = Crisis communication
code-rated_areas-overdracht_nafase = Handover to recovery
code-rated_areas-vakbekwaamheid = Professional competence
code-rated_areas-kwaliteitszorg = Quality assurance
code-rated_areas-samenwerking = Cooperation

code-ratings-P = Performed without challenges
code-ratings-S = Performed with some challenges
code-ratings-M = Performed with major challenges
code-ratings-U = Unable to perform
code-ratings-NO = Not observed

code-event_kinds-incident = Incident
code-event_kinds-exercise = Exercise

code-action_status-open = Open
code-action_status-in_progress = In progress
code-action_status-done = Done

code-verification_results-effective = Effective
code-verification_results-partly_effective = Partly effective
code-verification_results-not_effective = Not effective

agreement-state-proposed = proposed
agreement-state-partially_signed = partially signed
agreement-state-signed = signed, not yet in force
agreement-state-active = active
agreement-state-expired = expired
agreement-state-withdrawn = withdrawn
agreement-state-revoked = revoked
agreement-state-rejected = rejected
agreement-state-superseded = superseded
