"""Seed the working-day calendar (工作日历) from the published schedules.

2004 to the last year ``chinesecalendar`` covers (2026 for 1.11) are the State
Council's official schedules; the years after it up to 2030 come from
``holidays.China`` and are marked provisional until their official schedule is
imported (``egov calendar import``). Only days that break the weekly rule are
stored. Also creates the one-row revision token that cached calendars check.
"""

from django.db import migrations, models


def seed(apps, schema_editor):
    from egov.core.services.calendar import seed_rows

    seed_rows(
        day_model=apps.get_model("core", "CalendarDay"),
        revision_model=apps.get_model("core", "CalendarRevision"),
    )


def unseed(apps, schema_editor):
    apps.get_model("core", "CalendarDay").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [
        migrations.CreateModel(
            name="CalendarRevision",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("token", models.UUIDField(verbose_name="版本标识")),
                ("changed_at", models.DateTimeField(verbose_name="变更时间")),
            ],
            options={
                "verbose_name": "工作日历版本",
                "verbose_name_plural": "工作日历版本",
            },
        ),
        migrations.RunPython(seed, unseed),
    ]
