from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "gongkai.review"
    label = "review"
    verbose_name = "审核"
