from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0002_seed_working_calendar")]
    operations = []
