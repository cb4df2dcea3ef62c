"""The reference lists (topics, agencies and partners, help, channels, outcomes): read, kept per
process under the taxonomy version, edited and seeded.

- `lists`: the active lists as a desk, a report or a form reads them, kept per process
- `editing`: adding and changing categories, a branch's desk choice, the default lists"""

from ido.core.taxonomy.editing import (
    CATEGORY_MODELS,
    MAX_POSITION,
    all_of_kind,
    save_branch_desk,
    save_category,
    seed_categories,
    set_branch_selection,
)
from ido.core.taxonomy.lists import (
    TAXONOMY_MODELS,
    Categories,
    active_categories,
    branch_selection,
    bump_taxonomy,
    with_held,
)

__all__ = [
    "CATEGORY_MODELS",
    "Categories",
    "MAX_POSITION",
    "TAXONOMY_MODELS",
    "active_categories",
    "all_of_kind",
    "branch_selection",
    "bump_taxonomy",
    "save_branch_desk",
    "save_category",
    "seed_categories",
    "set_branch_selection",
    "with_held",
]
