# Indexes on the login table (auth.user, Django's model, so not declarable in its Meta) for the subject search:
# it looks logins up by lower(email) and by lower(first_name) + lower(last_name). Plain SQL valid on SQLite
# and PostgreSQL alike; the model state does not change.

from django.conf import settings
from django.db import migrations

INDEXES = {
    "auth_user_email_lower": "lower(email)",
    "auth_user_name_lower": "lower(last_name), lower(first_name)",
}


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_subject_search_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON auth_user ({columns})",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, columns in INDEXES.items()
    ]
