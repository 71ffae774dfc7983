from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand

from ciqcredit.actors import Actor
from ciqcredit.administration.reference import load_reference_data


class Command(BaseCommand):
    help = "迁移数据库、装载参考数据并收集静态文件（可重复执行）；完成后无需演示数据即可使用平台"

    def handle(self, *args, **opts):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库已迁移")
        load_reference_data(actor=Actor.job("setup"), report=self.stdout.write)
        self.stdout.write("参考数据装载完成")
        # Production serves hashed static files from a manifest that only collectstatic writes; without it
        # every page would fail. Development (DEBUG) serves them from the apps directly.
        if isinstance(staticfiles_storage, ManifestFilesMixin):
            call_command("collectstatic", interactive=False, verbosity=0)
            self.stdout.write("静态文件已收集")
