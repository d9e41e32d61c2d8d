"""Facts the privacy module announces, sent after commit (`insyn.core.events.send_after_commit`)."""

from django.dispatch import Signal

# The register of a controller changed (an activity created, edited, approved or removed).
# kwargs: register_id, controller_id, actor
register_changed = Signal()
# A notice version was published. kwargs: notice_id, version_id, actor
notice_published = Signal()
# A data-subject request was completed. kwargs: request_id, kind, actor
subject_request_completed = Signal()
