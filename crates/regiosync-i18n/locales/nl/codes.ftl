# Namen van codes die niet in de codelijsten staan (de codelijsten zelf zijn Nederlands).
# code-<lijst>-<code>; ontbreekt een naam, dan toont regiosync de naam uit de codelijst.

agreement-state-proposed = voorgesteld
agreement-state-partially_signed = deels ondertekend
agreement-state-signed = ondertekend, nog niet ingegaan
agreement-state-active = actief
agreement-state-expired = verlopen
agreement-state-withdrawn = opgezegd
agreement-state-revoked = ingetrokken
agreement-state-rejected = afgewezen
agreement-state-superseded = vervangen
