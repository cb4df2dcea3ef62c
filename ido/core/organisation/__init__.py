"""The organisation: libraries, their branches and their people, who sees what (scope), and
how people and tablets prove who they are (passwords, API tokens, enrolled desk tablets).

- `libraries`: add and change libraries, branches and people (flushed)
- `scope`: the branches and questions a person or tablet may see and change
- `passwords`: argon2 hashes, the policy, one-time links, sessions that end
- `tokens`: API tokens, stored as a SHA-256, revocable
- `devices`: desk tablets enrolled with a one-time code
"""

from ido.core.organisation.libraries import (
    CONVENANT_FIRST_YEAR,
    CONVENANT_LAST_YEAR,
    branch_by_code,
    convenant_years_offered,
    create_branch,
    create_library,
    create_user,
    deactivate_user,
    library_by_code,
    update_branch,
    update_library,
    update_user,
    user_by_email,
)

__all__ = [
    "CONVENANT_FIRST_YEAR",
    "CONVENANT_LAST_YEAR",
    "branch_by_code",
    "convenant_years_offered",
    "create_branch",
    "create_library",
    "create_user",
    "deactivate_user",
    "library_by_code",
    "update_branch",
    "update_library",
    "update_user",
    "user_by_email",
]
