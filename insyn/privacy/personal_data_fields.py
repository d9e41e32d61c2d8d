"""The privacy app's own personal-data fields (called from PrivacyConfig.ready)."""


def register_privacy_fields() -> None:
    pass
