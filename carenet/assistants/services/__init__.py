"""Services of the assistants' register: profiles, credentials and the register list."""

from carenet.assistants.services._validation import COUNTRY_CODES, LIMITS
from carenet.assistants.services.credentials import (
    add_document,
    add_qualification,
    remove_qualification,
    verify_qualification,
)
from carenet.assistants.services.profiles import (
    create_assistant,
    find_own_assistant,
    get_assistant,
    get_own_assistant,
    suspend_assistant,
    update_assistant,
    verify_assistant,
)
from carenet.assistants.services.register import RegisterFilters, list_assistants

__all__ = [
    "COUNTRY_CODES",
    "LIMITS",
    "RegisterFilters",
    "add_document",
    "add_qualification",
    "create_assistant",
    "find_own_assistant",
    "get_assistant",
    "get_own_assistant",
    "list_assistants",
    "remove_qualification",
    "suspend_assistant",
    "update_assistant",
    "verify_assistant",
    "verify_qualification",
]
