"""The body-site vocabulary: canonical site -> the words that name it in captions.

Canonical names are what `pairs.body_sites` holds. The list follows the regions dermatology texts use
for distribution; a caption word maps to the most specific site it names ("palmar" -> palm, not hand).
Latin site names of disease names count ("tinea pedis" -> foot, "tinea capitis" -> scalp).
"""

from __future__ import annotations

BODY_SITES: dict[str, tuple[str, ...]] = {
    "scalp": ("scalp", "scalps", "capitis"),
    "face": ("face", "faces", "facial", "cheek", "cheeks", "forehead", "chin", "malar", "temple", "temples", "faciei", "barbae"),
    "nose": ("nose", "nasal", "nostril", "nostrils"),
    "ear": ("ear", "ears", "earlobe", "earlobes", "auricle", "auricular", "pinna"),
    "eyelid": ("eyelid", "eyelids", "periorbital", "periocular", "palpebral"),
    "lip": ("lip", "lips", "labial", "perioral", "vermilion"),
    "mucosa": ("mucosa", "mucosal", "mucous membrane", "mucous membranes", "buccal", "gingiva", "gingival",
               "gums", "palate", "oral cavity", "conjunctiva", "conjunctival"),
    "tongue": ("tongue",),
    "neck": ("neck", "nape", "cervical skin"),
    "trunk": ("trunk", "truncal", "torso"),
    "chest": ("chest", "thorax", "thoracic", "presternal", "sternal"),
    "breast": ("breast", "breasts", "nipple", "nipples", "areola", "inframammary"),
    "abdomen": ("abdomen", "abdominal", "periumbilical", "umbilicus", "umbilical", "flank", "flanks"),
    "back": ("upper back", "lower back", "mid back", "the back", "his back", "her back", "their back",
             "interscapular", "lumbar", "sacral", "sacrum"),
    "axilla": ("axilla", "axillae", "axillary", "armpit", "armpits"),
    "arm": ("arm", "arms", "upper arm", "upper extremity", "upper extremities", "upper limb", "upper limbs"),
    "elbow": ("elbow", "elbows", "antecubital", "olecranon"),
    "forearm": ("forearm", "forearms"),
    "wrist": ("wrist", "wrists"),
    "hand": ("hand", "hands", "dorsal hand", "dorsum of the hand", "knuckle", "knuckles", "manuum"),
    "palm": ("palm", "palms", "palmar"),
    "finger": ("finger", "fingers", "fingertip", "fingertips", "thumb", "thumbs", "digit", "digits"),
    "nail": ("nail", "nails", "fingernail", "fingernails", "toenail", "toenails", "thumbnail", "thumbnails", "nail bed", "nail fold",
             "periungual", "subungual", "ungual", "unguium"),
    "groin": ("groin", "groins", "inguinal", "crural", "cruris"),
    "genitalia": ("genitalia", "genital", "genitals", "penis", "penile", "glans", "scrotum", "scrotal",
                  "vulva", "vulvar", "labia"),
    "perianal": ("perianal", "anus", "anal", "perineum", "perineal"),
    "buttock": ("buttock", "buttocks", "gluteal", "natal cleft"),
    "leg": ("leg", "legs", "lower leg", "lower legs", "lower extremity", "lower extremities", "lower limb",
            "lower limbs", "calf", "calves"),
    "thigh": ("thigh", "thighs"),
    "knee": ("knee", "knees", "popliteal", "patellar"),
    "shin": ("shin", "shins", "pretibial", "tibial"),
    "ankle": ("ankle", "ankles", "malleolus", "malleolar"),
    "foot": ("foot", "feet", "dorsum of the foot", "heel", "heels", "pedis"),
    "sole": ("sole", "soles", "plantar"),
    "toe": ("toe", "toes", "interdigital", "web space", "web spaces"),
    "flexures": ("flexure", "flexures", "flexural", "intertriginous", "skin folds"),
    "extensor surfaces": ("extensor surface", "extensor surfaces", "extensor aspects"),
}
"""Canonical site -> words (lower case; multi-word phrases allowed)."""

