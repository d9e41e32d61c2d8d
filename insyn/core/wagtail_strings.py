"""Wagtail's strings that Insyn's own catalog (locale/) must carry.

Nothing imports this module: `make messages` (makemessages) reads it, so that these msgids land in
locale/{sv,pl}/LC_MESSAGES/django.po, which takes precedence over the catalogs Wagtail ships.

- `API_TOKENS`: Wagtail 8's API-token screens (wagtail/users/views/api_tokens.py, its templates in
  wagtailusers/api_tokens/, the APIToken model, the apitoken log actions), which Wagtail's sv and pl
  catalogs do not translate yet.
- `SWEDISH_FALLBACK`: msgids Wagtail translates to Swedish but not to Polish. Django falls back to
  LANGUAGE_CODE (sv) for a msgid missing in pl, so these showed in Swedish in the Polish admin
  (the dashboard's "Bilder skapade i Insyn"). test_translations.py keeps the list complete.
"""

# ruff: noqa: E501  (a msgid stays on one line, as makemessages and translators see it)

from __future__ import annotations

from django.utils.translation import gettext_noop, ngettext_lazy

API_TOKENS = (
    gettext_noop("Token"),
    gettext_noop("Last used"),
    gettext_noop("Revoked"),
    gettext_noop("Revoke"),
    gettext_noop("Never"),
    gettext_noop("API tokens"),
    gettext_noop("A human-readable label to identify this token."),
    gettext_noop("revoked at"),
    gettext_noop("last used at"),
    gettext_noop("API token created"),
    gettext_noop("Are you sure you want to revoke this API token?"),
    gettext_noop("API token '%(name)s' revoked."),
    gettext_noop('The token "%(name)s" has been created, copy it now, it will never be shown again.'),
    gettext_noop("Copy token"),
    gettext_noop("Back to API tokens"),
    gettext_noop("Copying failed — please select and copy the token manually."),
    gettext_noop("Yes, revoke"),
    gettext_noop("No, don't revoke"),
    gettext_noop("Create API token"),
    gettext_noop("API token revoked"),
    gettext_noop("Revoke API token"),
)

SWEDISH_FALLBACK = (
    gettext_noop("%(error)s encountered while trying to read file: %(filename)s."),
    gettext_noop("%(model_name)s '%(title)s' is now unlocked."),
    gettext_noop("%(range_start)s - %(range_end)s"),
    gettext_noop("%(status_display)s %(task_name)s %(started_at)s"),
    ngettext_lazy(
        '%(total)s Document <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Documents <span class="w-sr-only">created in %(site_name)s</span>',
        "total",
    ),
    ngettext_lazy(
        '%(total)s Image <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Images <span class="w-sr-only">created in %(site_name)s</span>',
        "total",
    ),
    gettext_noop("(blank)"),
    gettext_noop("Add or show comments"),
    gettext_noop("Application"),
    gettext_noop("Checks"),
    gettext_noop("Close modal dialogs (like this one)"),
    gettext_noop("Correct the validation errors to resume preview (saving will highlight errors)"),
    gettext_noop("Date cannot be in the future."),
    gettext_noop("Enable custom keyboard shortcuts specific to Wagtail."),
    gettext_noop("Expiry date/time must be in the future."),
    gettext_noop('File format of type "%(extension)s" is not supported.'),
    gettext_noop("Go to the first error"),
    gettext_noop("Grid layout"),
    gettext_noop("How we calculate our metrics"),
    gettext_noop("Imported file has a wrong encoding: %(error_message)s."),
    gettext_noop("Is commenting action"),
    gettext_noop("Keyboard shortcuts are currently enabled; manage your %(account_link)s to disable them."),
    gettext_noop("Layout"),
    gettext_noop("List layout"),
    gettext_noop("Maximum"),
    gettext_noop("Minimum"),
    gettext_noop("No %(model_name)s match your query."),
    gettext_noop("Only reviewers can edit and approve the %(model_name)s"),
    gettext_noop("Please select another parent."),
    gettext_noop("Private, accessible to any logged-in users"),
    gettext_noop("Private, accessible with a shared password"),
    gettext_noop("Readability"),
    gettext_noop("Reviewers can edit this %(model_name)s – lock it to prevent other reviewers from editing"),
    gettext_noop("Schedule to publish"),
    gettext_noop("Scheduling…"),
    gettext_noop(
        'See our <a href="%(guide_link)s" target="_blank">content checks guide</a> for more information on how content metrics are calculated.'
    ),
    gettext_noop(
        "Shared passwords should not be used to protect sensitive content. Anyone who has this password will be able to view the content."
    ),
    gettext_noop("Show keyboard shortcuts"),
    gettext_noop("Tag(s) %(value_too_long)s are over %(max_tag_length)d characters."),
    gettext_noop("Text editing"),
    gettext_noop("The file could not be found. Please change the source or delete the document."),
    gettext_noop("The page could not be created due to validation errors."),
    gettext_noop("The page could not be saved due to validation errors."),
    gettext_noop("The slug '%(page_slug)s' is already in use within the parent page at '%(parent_url_path)s'."),
    gettext_noop("The slug '%(page_slug)s' is already in use within the parent page."),
    gettext_noop("This %(model_name)s hasn't been submitted for moderation yet"),
    gettext_noop("This data explained"),
    gettext_noop("This page is currently at <strong>%(task)s</strong> in <strong>%(workflow)s</strong>."),
    gettext_noop(
        "This page was marked as needing changes at <strong>%(task)s</strong> in <strong>%(workflow)s</strong>."
    ),
    gettext_noop('This publishing schedule will only take effect after you select the "Schedule to publish" option'),
    gettext_noop("Toggle all add permissions"),
    gettext_noop("Toggle all change permissions"),
    gettext_noop("Toggle all custom permissions"),
    gettext_noop("Toggle all delete permissions"),
    gettext_noop("Toggle checks"),
    gettext_noop("Toggle minimap"),
    gettext_noop("Usage count"),
    gettext_noop("Usage count: (high to low)"),
    gettext_noop("Usage count: (low to high)"),
    gettext_noop("Use server language: %(language_name)s"),
    gettext_noop("Use server time zone"),
    gettext_noop("Version from %(timestamp)s of %(model_name)s '%(object)s' has been published."),
    gettext_noop("Version from %(timestamp)s of %(model_name)s '%(object)s' has been scheduled for publishing."),
    gettext_noop("We calculate reading time from word count, using different reading speeds for different languages."),
    gettext_noop(
        "We extract the main content from the page preview, remove all formatting, and calculate the number of words."
    ),
    gettext_noop(
        "We use a readability formula based on length of words and sentences. Long sentences and words result in a worse readability score."
    ),
    gettext_noop(
        'Why not <a class="upload-one-now" href="#tab-upload" data-action="w-tabs#select:prevent" data-w-tabs-target="trigger" data-w-tabs-focus-param="true">upload one now</a>?'
    ),
    gettext_noop("Workflow on %(model_name)s '%(object)s' has been restarted."),
    gettext_noop("You do not have permission to access the admin."),
    gettext_noop("item"),
    gettext_noop("items"),
    gettext_noop("shared password"),
)
