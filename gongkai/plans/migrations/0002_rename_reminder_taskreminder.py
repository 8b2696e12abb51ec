from django.conf import settings
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("plans", "0001_work_plans_ledger_supervision"),
    ]

    operations = [
        migrations.RenameModel(old_name="Reminder", new_name="TaskReminder"),
    ]
