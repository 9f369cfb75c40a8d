from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_append_only_trigger")]
    operations = []
