from django.urls import reverse
from rest_framework import serializers

from wenming.notifications.models import Announcement, Attachment, Notification

MAX_ID = 2**63 - 1


class NotificationSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.real_name", read_only=True, default="")
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "verb", "title", "body", "url", "actor", "actor_name", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="标为已读的条数")


class AttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "file_type", "mime", "download_url"]

    def get_download_url(self, obj) -> str:
        return reverse("notifications:attachment", args=[obj.pk])


class AnnouncementSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.real_name", read_only=True)
    departments = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    is_read = serializers.BooleanField(read_only=True, default=False)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Announcement
        fields = ["id", "title", "body", "departments", "author", "author_name", "published_at", "is_read",
                  "attachments"]
        read_only_fields = fields


class AnnouncementCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, help_text="标题")
    body = serializers.CharField(max_length=20000, help_text="正文")
    departments = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False,
                                        default=list, help_text="发送部门的编号；不填表示全单位")
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list, help_text="附件")


class ReceiptPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    read_at = serializers.DateTimeField(allow_null=True)


class ReceiptDepartmentSerializer(serializers.Serializer):
    department = serializers.CharField()
    read = serializers.IntegerField()
    unread = serializers.IntegerField()
    unread_people = ReceiptPersonSerializer(many=True)
    read_people = ReceiptPersonSerializer(many=True)


class ReceiptsSerializer(serializers.Serializer):
    announcement = serializers.IntegerField()
    read = serializers.IntegerField()
    unread = serializers.IntegerField()
    departments = ReceiptDepartmentSerializer(many=True)
