"""The default categories every new instance starts with (coordinators may change them later).

Rows: (code, Dutch label, English label[, extra fields]). Codes never change once used.
"""

from typing import Any

# (code, group, parent, nl, en, hint nl, hint en)
TOPICS = [
    (
        "digid",
        "overheid",
        None,
        "DigiD",
        "DigiD",
        "Aanvragen, activeren, de app, inloggen of machtigen",
        "Applying, activating, the app, logging in or authorising",
    ),
    (
        "digid_aanvragen",
        "overheid",
        "digid",
        "DigiD aanvragen",
        "Applying for DigiD",
        "Nieuwe DigiD of opnieuw aanvragen",
        "A new DigiD, or applying again",
    ),
    (
        "digid_activeren",
        "overheid",
        "digid",
        "DigiD activeren",
        "Activating DigiD",
        "Activeringscode uit de brief invoeren",
        "Entering the activation code from the letter",
    ),
    (
        "digid_app",
        "overheid",
        "digid",
        "DigiD-app",
        "DigiD app",
        "App installeren, koppelen of ID-check",
        "Installing or linking the app, ID check",
    ),
    (
        "digid_inloggen",
        "overheid",
        "digid",
        "Inloggen, wachtwoord of code kwijt",
        "Logging in, lost password or code",
        "Sms-code, wachtwoord vergeten, account geblokkeerd",
        "SMS code, forgotten password, blocked account",
    ),
    (
        "digid_machtigen",
        "overheid",
        "digid",
        "DigiD machtigen",
        "Authorising with DigiD",
        "Iemand anders laten inloggen met DigiD Machtigen",
        "Letting someone act on your behalf",
    ),
    (
        "mijnoverheid",
        "overheid",
        None,
        "MijnOverheid en Berichtenbox",
        "MijnOverheid and Message box",
        "Post van de overheid lezen, meldingen instellen",
        "Reading government mail, setting up notifications",
    ),
    (
        "toeslagen",
        "overheid",
        None,
        "Toeslagen",
        "Benefits (toeslagen)",
        "Huur-, zorg- en kinderopvangtoeslag, kindgebonden budget",
        "Rent, healthcare and childcare benefit, child budget",
    ),
    (
        "belastingaangifte",
        "overheid",
        None,
        "Belastingaangifte",
        "Tax return",
        "Aangifte inkomstenbelasting, voorlopige aanslag",
        "Income tax return, provisional assessment",
    ),
    (
        "gemeente",
        "overheid",
        None,
        "Gemeentelijke regelingen en dienstverlening",
        "Municipal schemes and services",
        "Afspraak, paspoort, verhuizing, bijzondere bijstand, Wmo",
        "Appointments, passport, moving house, special assistance",
    ),
    (
        "zorg",
        "overheid",
        None,
        "Zorg en Wmo (CAK, CIZ, zorgverzekering)",
        "Care and Wmo (CAK, CIZ, health insurance)",
        "Eigen bijdrage, indicatie, zorgverzekering",
        "Personal contribution, care assessment, health insurance",
    ),
    (
        "werk_uitkering",
        "overheid",
        None,
        "Werk en uitkering (UWV)",
        "Work and benefits (UWV)",
        "WW, WIA, Ziektewet, werkmap",
        "Unemployment and disability benefits, job seeking",
    ),
    (
        "aow_pensioen",
        "overheid",
        None,
        "AOW, kinderbijslag en pensioen (SVB)",
        "State pension, child benefit and pension (SVB)",
        "AOW aanvragen, kinderbijslag, Mijn SVB",
        "Applying for state pension, child benefit, My SVB",
    ),
    (
        "studie",
        "overheid",
        None,
        "Studiefinanciering (DUO)",
        "Student finance (DUO)",
        "Studiefinanciering, studieschuld, inburgering",
        "Student grants, student debt, civic integration",
    ),
    (
        "rijbewijs",
        "overheid",
        None,
        "Rijbewijs en voertuig (CBR, RDW)",
        "Driving licence and vehicle (CBR, RDW)",
        "Gezondheidsverklaring, rijbewijs verlengen, kenteken",
        "Health declaration, renewing a licence, registration",
    ),
    (
        "boetes",
        "overheid",
        None,
        "Boetes en incasso (CJIB)",
        "Fines and collection (CJIB)",
        "Verkeersboete, betalingsregeling",
        "Traffic fine, payment arrangement",
    ),
    (
        "apparaat",
        "overig",
        None,
        "Computer, tablet of smartphone",
        "Computer, tablet or smartphone",
        "Apparaat instellen of gebruiken, zonder overheidsvraag",
        "Setting up or using a device, no government question",
    ),
    (
        "bibliotheek",
        "bibliotheek",
        None,
        "Bibliotheekdienstverlening",
        "Library services",
        "Lidmaatschap, printen, cursussen van de bibliotheek",
        "Membership, printing, library courses",
    ),
    (
        "overig",
        "overig",
        None,
        "Overig",
        "Other",
        "Past nergens anders; zet kort in de notitie waarover",
        "Fits nowhere else; note briefly what about",
    ),
]

# (code, kind, nl, en); npd: the Netwerk van Publieke Dienstverleners (formerly Manifestgroep)
AGENCIES = [
    ("belastingdienst", "npd", "Belastingdienst", "Tax Administration"),
    ("toeslagen", "npd", "Dienst Toeslagen", "Benefits Agency"),
    ("cak", "npd", "CAK", "CAK"),
    ("cbr", "npd", "CBR", "CBR"),
    ("ciz", "npd", "CIZ", "CIZ"),
    ("cjib", "npd", "CJIB", "CJIB"),
    ("duo", "npd", "DUO", "DUO"),
    ("svb", "npd", "SVB", "SVB"),
    ("uwv", "npd", "UWV", "UWV"),
    ("rdw", "npd", "RDW", "RDW"),
    ("huurcommissie", "npd", "Huurcommissie", "Rent Tribunal"),
    ("lbio", "npd", "LBIO", "LBIO"),
    ("rvr", "npd", "Raad voor Rechtsbijstand", "Legal Aid Board"),
    ("gemeente", "government", "Gemeente", "Municipality"),
    ("logius", "government", "Logius (DigiD)", "Logius (DigiD)"),
    ("ind", "government", "IND", "IND"),
    ("overheid_overig", "government", "Andere overheidsorganisatie", "Other government body"),
    ("juridisch_loket", "partner", "Juridisch Loket", "Legal Services Counter"),
    (
        "formulierenhulp",
        "partner",
        "Formulierenhulp / sociaal raadslid",
        "Form help / social counsellor",
    ),
    ("schuldhulp", "partner", "Schuldhulpverlening", "Debt counselling"),
    ("taalhuis", "partner", "Taalhuis", "Language house (Taalhuis)"),
    (
        "digicursus",
        "partner",
        "Cursus digitale vaardigheden (bijv. Digisterker)",
        "Digital skills course (e.g. Digisterker)",
    ),
    ("seniorweb", "partner", "SeniorWeb", "SeniorWeb"),
    ("belastinghulp", "partner", "Belastinghulp (vrijwilligers)", "Tax help (volunteers)"),
    (
        "welzijn",
        "partner",
        "Welzijnsorganisatie of sociaal wijkteam",
        "Welfare organisation or social district team",
    ),
    ("clientondersteuning", "partner", "Cliëntondersteuner", "Client support"),
    ("ouderenbond", "partner", "Ouderenbond", "Senior citizens' union"),
]

# the kind of public body each agency is (any other: overig), for the national form
AGENCY_LEVELS = {
    **dict.fromkeys(
        ["belastingdienst", "toeslagen", "cak", "cbr", "ciz", "cjib", "duo", "svb", "uwv"]
        + ["rdw", "huurcommissie", "lbio", "rvr", "ind"],
        "uitvoering",
    ),
    "logius": "rijk",
    "gemeente": "gemeente",
}

HELP = [
    ("uitleg", "Informatie of uitleg gegeven", "Information or explanation given"),
    ("samen", "Samen online geregeld", "Arranged online together"),
    ("cursus", "Cursus digitale vaardigheden aangeraden", "Digital skills course recommended"),
]

CHANNELS = [
    ("balie", "Aan de balie", "At the desk"),
    ("telefoon", "Telefonisch", "By phone"),
    ("email", "Per e-mail", "By e-mail"),
    ("afspraak", "Op afspraak", "By appointment"),
    ("online", "Online (video of chat)", "Online (video or chat)"),
]

OUTCOMES = [
    ("geholpen", "Geholpen", "Helped"),
    ("vervolg", "Vervolgafspraak nodig", "Follow-up appointment needed"),
    ("niet_geholpen", "Niet kunnen helpen", "Could not help"),
    # a warm handover: an appointment booked with the agency or partner referred to (the
    # referral ticked with it says which); migration f4b8d2a6c913 adds it to older instances
    ("afspraak", "Afspraak gemaakt bij …", "Appointment made with …"),
]

# Kinds of activity a branch holds (code, Dutch, English): spreekuren, an aangiftedag, courses
ACTIVITY_KINDS = [
    ("ido_spreekuur", "IDO-spreekuur", "IDO consultation hours"),
    ("belastinghulp", "Spreekuur belastinghulp", "Tax help consultation hours"),
    ("formulierenhulp", "Spreekuur formulierenhulp", "Form help consultation hours"),
    ("aangiftedag", "Aangiftedag", "Tax return day"),
    ("klik_en_tik", "Cursus Klik & Tik", "Klik & Tik course"),
    ("digisterker", "Cursus Digisterker", "Digisterker course"),
    ("informatiebijeenkomst", "Informatiebijeenkomst", "Information meeting"),
    ("digicafe", "Digicafé", "Digital café"),
]

# What the desk pre-selects, so the common question is a topic and a save.
DESK_DEFAULTS: dict[str, Any] = {"channel": "balie", "outcome": "geholpen", "duration_minutes": 10}
DURATIONS = (5, 10, 15, 30, 45, 60)
