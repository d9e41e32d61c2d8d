"""Pure rules of the loan instruction (22KS572) that need no database: the return checklist."""

from __future__ import annotations

from collections.abc import Iterable

# Devices with "Find My" (Hitta min iPad / iPhone) and an activation lock: a laptop has neither.
FIND_MY_DEVICE_TYPES = frozenset({"tablet", "phone"})
ACTIVATION_LOCK = "activation_lock_off"
LOGGED_OUT = "logged_out"
ALL_ACCESSORIES = "all_accessories"
# Every item the checklist may hold, in the form's order.
RETURN_CHECKLIST = (ACTIVATION_LOCK, LOGGED_OUT, ALL_ACCESSORIES)


def return_checklist(device_types: Iterable[str]) -> tuple[str, ...]:
    """The checklist items a return requires for a kit of these device types.

    Logged out and every accessory back: always. Find My / activation lock off: only when the kit
    holds a tablet or a phone (a ThinkPad has no "Hitta min iPad").
    """
    types = set(device_types)
    return tuple(item for item in RETURN_CHECKLIST if item != ACTIVATION_LOCK or types & FIND_MY_DEVICE_TYPES)
