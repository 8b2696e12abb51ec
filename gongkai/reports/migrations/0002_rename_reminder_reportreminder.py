from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
        ("reports", "0001_annual_reports"),
    ]

    operations = [
        migrations.RenameModel(old_name="Reminder", new_name="ReportReminder"),
    ]
