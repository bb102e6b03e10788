"""The words detection knows (audit.detect): a lexicon of ordinary English words made
from wordfreq's lists, and the service's own words, titles, kinship words and the words
around a place.

The lexicon is read once per process, when a text first needs it (about a second):
wordfreq's lists ship inside the package, nothing is fetched."""

from functools import cache

# The languages a word's frequency is compared in: widely written languages of the Latin
# script, whose word lists ship with wordfreq.
OTHER_LANGUAGES = ("fr", "de", "es", "it", "nl", "pt", "sv", "pl")
# An English word is common from a Zipf frequency of 3 (once in a million words, the
# floor of wordfreq's small lists), and ordinary when it is at least this much rarer in
# every other language.
ORDINARY_MARGIN = 1.2


@cache
def ordinary_words() -> frozenset[str]:
    """Common English words that are not names: wordfreq's small English list, less the
    words about as frequent in some other language as in English (names, places, brands,
    and a few words every language borrowed)."""
    from wordfreq import available_languages, read_cBpack

    def zipf_lists(language: str, size: str):
        # A cBpack is a list of lists of words; each list's index is minus the words'
        # frequency in centibels, so its Zipf frequency is (900 - index) / 100.
        for index, words in enumerate(read_cBpack(available_languages(size)[language])):
            yield (900 - index) / 100, words

    english = {word: zipf for zipf, words in zipf_lists("en", "small") for word in words}
    keys = frozenset(english)
    lowest: dict[str, float] = {}
    for n, language in enumerate(OTHER_LANGUAGES):
        found = {}
        for zipf, words in zipf_lists(language, "large"):
            if zipf < 3 - ORDINARY_MARGIN:
                break  # rarer than this, a word is ordinary however common in English
            found.update(dict.fromkeys(keys.intersection(words), zipf))
        lowest = found if n == 0 else {w: min(z, found[w]) for w, z in lowest.items() if w in found}
    return frozenset(
        word for word, zipf in english.items() if zipf - lowest.get(word, 0.0) >= ORDINARY_MARGIN
    )


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The service's own words, and others written with a capital that name no one: kept
# wherever they stand, unless a title, a kinship word or quotes make them a name.
SERVICE_WORDS = _words(
    """
    dtc dtcs tc tcs therapeutic community communities democratic meeting meetings small
    large group groups psychodrama psychotherapy psychotherapist psychology psychologist
    psychiatrist psychiatry therapy therapies therapist art music drama creative manager
    managers head lead clinical clinician clinicians trainee trainees facilitator
    facilitators chair vice-chair chairperson secretary representative rep induction buddy
    buddies listener listeners samaritans insider insiders mentor peer key worker workers
    personal officer officers offender offenders probation parole board panel adjudication
    adjudications adjudicator independent governor governors duty healthcare health mental
    in-reach inreach substance misuse education library gym workshop workshops kitchen
    kitchens servery laundry chapel chaplaincy chaplain segregation seg csu care separation
    unit units reception visits visit hall family day days social services service video
    call calls link purple safer custody security osg incentives iep enhanced standard
    basic category cat acct caremap case review reviews rotl hdc open conditions release
    oasys sentence plan plans risk mappa ipp isp lifer lifers court courts crown
    magistrates county youth police children assessment treatment leaving preparation
    phase stage goal goals need needs violence relationships feedback pull-up pull-ups
    commitment vote votes motion motions constitution rule rules staff team teams
    supervision wing wings landing landings spur houseblock block cell programme
    programmes course courses skills thinking tsp resolve kaizen horizon bbr sotp calm
    healthy identity matters restorative justice pipe opd cbt dbt mbt emdr ptsd adhd asd
    eupd bpd pd nhs pnc cro ni dwp hmpps hmp hmps hmyoi yoi moj gp gps a&e cpn rmn hca mdt
    cpa comp1 comp2 imb ppo vlo flo ap aps approved premises universal credit esa pip jsa
    nomis uk gb eu bbc itv tv pin id ids cv nvq gcse gcses cscs level maths english
    functional it pe re diy aa na rapt smart cafcass camhs nspcc recovery forward trust
    domestic abuse aid citizens advice jobcentre job centre plus council housing benefit
    benefits office formulation dosage timetable register minutes agenda whole trauma red
    band email e-mail post mail online internet radio extra top baby boy boys lady ladies
    club sport sports festival fitness golf rugby cafe pub taxi bus hotel super zero info
    index lab kit pen gaming comic doc pet tag mix express pack premier universal digital
    global journal magazine ok okay tbc no omu omic pom com army history month week
    monitoring progression regime reduction representatives awareness ceremony leavers
    demo iq tm tms hop tel mob mobile ext fax dob ref nb ps fyi asap
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur
    thurs fri sat sun january february march april may june july august september october
    november december jan feb mar apr jun jul aug sep sept oct nov dec
    christmas xmas easter eid ramadan diwali hanukkah vaisakhi passover lent advent new
    year burns night bonfire halloween valentine mother's father's boxing god jesus christ
    allah bible quran koran torah mass prayers church mosque gurdwara temple synagogue
    muslim muslims christian christians catholic catholics protestant jewish sikh hindu
    buddhist rastafarian islam islamic pagan atheist english british welsh scottish irish
    polish romanian albanian lithuanian jamaican black white asian mixed traveller
    travellers gypsy roma caribbean african european england wales scotland ireland
    britain jamaica poland romania albania lithuania pakistan india bangladesh nigeria
    somalia ghana turkey portugal spain
    """
)
# Words for the person a name follows ("his mother Janet", "victim, Sarah", "a man named
# Kevin"): the next word is a name when it has a capital or is not an ordinary word.
KINSHIP = _words(
    """
    mother mum mam mom mummy mammy father dad daddy brother sister son daughter partner
    wife husband girlfriend boyfriend fiance fiancé fiancee fiancée ex ex-partner ex-wife
    ex-husband ex-girlfriend ex-boyfriend nan nana nanna nanny gran granny grandma
    grandmother grandad granddad grandpa grandfather grandson granddaughter grandchild
    uncle aunt auntie aunty cousin nephew niece stepdad stepmum stepmom stepfather
    stepmother stepson stepdaughter stepbrother stepsister step-dad step-mum step-father
    step-mother step-son step-daughter step-brother step-sister half-brother half-sister
    brother-in-law sister-in-law mother-in-law father-in-law son-in-law daughter-in-law
    godfather godmother godson goddaughter friend mate pal neighbour cellmate cellie
    padmate pad-mate co-defendant codefendant co-accused victim child baby kids children
    sons daughters brothers sisters twin twins carer guardian solicitor barrister worker
    mentor sponsor named nicknamed called aka alias
    """
)
# Titles before a name, as written: "SO" is a title and "so" a word. The short ones are
# titles in lower case too ("mr smith").
TITLES = _words(
    """
    Mr Mrs Ms Miss Mx Dr Sir Dame Lady Lord Officer Nurse Governor Gov Guv SO PO OSG CM
    Father Fr Sister Brother Imam Rabbi Reverend Rev Revd Chaplain Pastor Prof Professor
    Judge DC DS DI DCI PC PCSO Sgt Sergeant Inspector Detective Constable Cllr Councillor
    Mister Matron Doctor
    """
)
LOWER_TITLES = _words("mr mrs ms mx dr")
# Words before a place ("from Swindon", "HMP Wakefield", "the Leys estate"), and before
# "to" when a place follows ("moved to Leeds", not "spoke to Janet").
PLACE_BEFORE = _words(
    "from in at near into outside around towards toward via through enter entering hmp hmps"
    " hmyoi yoi"
)
MOVING = _words(
    """
    moved move moving went go going gone goes back return returned returning transferred
    transfer travelled travel sent home released relocated relocate drove ran headed
    """
)
PLACE_AFTER = _words(
    """
    estate estates road street avenue close lane way drive crescent grove court gardens
    terrace place square walk row mews park arms inn tavern hotel pub club hostel area
    district town village city centre center
    """
)
# The last word of a pub's name, even one of the service's own ("the Bull's Head").
PUB_ENDS = _words("arms inn tavern hotel head heads club tap")
# Words between a place's name and the word that says it is one ("the Parkside
# industrial estate").
PLACE_BETWEEN = _words("industrial retail shopping housing trading business council")
# Before "from" these are from a person ("a letter from Janet").
FROM_SOMEONE = _words(
    """
    letter letters call calls visit visits message messages card cards support feedback
    email text texts news help apology contact word
    """
)
# Sentence starters that do not join the name after them ("Today Janet rang", "Ask
# Janet to brief the team").
STARTERS = _words(
    """
    the a an this that these those his her their our my your its today yesterday tomorrow
    tonight staff residents resident when after before during since although though
    because if as at in on for with from by to and but or so then also both some all no
    not he she they we it there here following according overall last next every each
    another other while whilst until once apparently ask tell call ring phone email write
    see meet thank remind invite contact speak brief update inform refer discuss support
    help check chase arrange book let give send offer agree confirm
    """
)
CALENDAR = _words(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december
    """
)
STREETS = (
    "Road|Rd|Street|St|Avenue|Ave|Close|Lane|Ln|Way|Drive|Crescent|Grove|Court|Gardens"
    "|Terrace|Place|Square|Walk|Row|Mews|Hill|Park|Rise|View|Parade|Green|Estate|Vale"
    "|Fields|Croft|Gate|Wharf|Yard|Boulevard|Broadway|Circus|Quay|Centre|Center"
)
BUILDINGS = "House|Court|Lodge|Tower|Towers|Mansions|Buildings|Point|Heights|Flats"

NUMBER_WORDS = _words(
    """
    one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy
    eighty ninety
    """
)
ORDINAL_WORDS = _words(
    """
    first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth
    thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth
    thirtieth fortieth fiftieth sixtieth seventieth eightieth
    """
)
# Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = _words("mr mrs ms mx dr st no nos approx eg ie vs cf prof rev sgt fr ref tel")
PRONOUN_I = _words("I I'm I've I'd I'll")


def plain(word: str) -> str:
    """A word as it is looked up: case-folded, without a possessive."""
    word = word.casefold().replace("’", "'")
    return word.removesuffix("'s").removesuffix("'")


def ordinary(word: str) -> bool:
    """Whether `word` (looked up plain) is an ordinary English word, whole or in each of
    its hyphenated parts."""
    words = ordinary_words()
    return word in words or ("-" in word and all(part in words for part in word.split("-")))


def service_word(word: str) -> bool:
    """Whether `word` (looked up plain) is one of the service's own words, whole or in each
    of its hyphenated parts ("C-wing", "step-dad")."""
    parts = word.split("-")
    return word in SERVICE_WORDS or (
        len(parts) > 1
        and any(part in SERVICE_WORDS for part in parts)
        and all(part in SERVICE_WORDS or part in KINSHIP or len(part) == 1 for part in parts)
    )
