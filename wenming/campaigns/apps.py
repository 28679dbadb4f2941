from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "wenming.campaigns"
    label = "campaigns"
    verbose_name = "创建活动"
