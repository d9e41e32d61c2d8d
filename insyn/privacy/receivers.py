"""What privacy does when other modules (or its own register) announce a fact.

Both facts arrive after commit (`send_after_commit`), so a draft is made only for a change that stays.
The drafts are made by the system: the person who edited the register may not have the right to write
notices, and the DPO approves each draft before the public sees it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def on_register_changed(sender: Any, *, controller_id: int, actor: Any = None, **kwargs: Any) -> None:
    from insyn.core.actor import SYSTEM
    from insyn.privacy.services.notices import notice_regenerate_for

    notice_regenerate_for(
        actor=SYSTEM, controller_id=controller_id, reason=_("The register changed (%(by)s)") % {"by": actor or "-"}
    )


def on_plan_adopted(sender: Any, *, plan_id: int, organisation_id: int | None = None, **kwargs: Any) -> None:
    from insyn.core.actor import SYSTEM
    from insyn.privacy.selectors.notices import controllers_linked_to_plan
    from insyn.privacy.services.notices import notice_regenerate_for

    for controller_id in controllers_linked_to_plan(plan_id=plan_id, organisation_id=organisation_id):
        notice_regenerate_for(
            actor=SYSTEM, controller_id=controller_id, reason=_("A linked retention plan was adopted")
        )


def connect() -> None:
    from insyn.privacy.signals import register_changed
    from insyn.records.signals import plan_adopted

    register_changed.connect(on_register_changed, dispatch_uid="privacy_notices_register_changed")
    plan_adopted.connect(on_plan_adopted, dispatch_uid="privacy_notices_plan_adopted")
