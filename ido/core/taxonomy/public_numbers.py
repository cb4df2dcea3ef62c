"""The public phone numbers of the national agencies and partners, by agency code: no visitor
owns them, so the privacy guard lets a note that names one pass.

Free (0800), paid (0900) and nationwide company numbers (088) pass the guard anyway; they are
listed so that this is the one list of what the desk may note. A regional number (050, 058)
looks like anyone's landline, so only a number listed here passes. Add a number when an
agency publishes a new one; the guard reads this list once per process."""

PUBLIC_NUMBERS: dict[str, tuple[str, ...]] = {
    # BelastingTelefoon, from abroad too; Dienst Toeslagen answers on the same number
    "belastingdienst": ("0800 0543", "+31 55 538 53 85"),
    "toeslagen": ("0800 0543", "+31 55 538 53 85"),
    "duo": ("050 599 77 55", "+31 50 599 77 55", "050 599 96 00"),  # 96 00: inburgering
    "svb": ("050 316 90 10",),
    "uwv": ("088 898 92 94", "088 898 92 95"),  # werknemers, werkgevers
    "cak": ("0800 1925",),
    "cjib": ("058 215 95 55", "058 234 21 30"),  # general, traffic fines
    "rdw": ("0900 0739",),
    "cbr": ("088 227 77 00",),
    "ciz": ("088 789 10 00",),
    "ind": ("088 043 04 30",),
    "logius": ("088 123 6555",),  # the DigiD helpdesk
    "juridisch_loket": ("0900 8020",),
}
