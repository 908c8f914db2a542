# pki, node, node --check, restore, audit verify and the demo's narration.
cmd-placeholder = -
