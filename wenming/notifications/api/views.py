"""Notification endpoints: the same access path, selectors and services as the screens."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from wenming.audit.services import Origin
from wenming.core.api import fetch as _fetch
from wenming.core.api import validated
from wenming.notifications import selectors, services
from wenming.notifications.api.serializers import (
    AnnouncementCreateSerializer,
    AnnouncementSerializer,
    NotificationSerializer,
    ReadAllSerializer,
    ReceiptsSerializer,
)
from wenming.notifications.models import Announcement
from wenming.org.models import Department
from wenming.org.policy import api_door
from wenming.org.roles import Role

InUnit = api_door(Announcement, "view", "没有所属单位的账号没有通知公告。")


@extend_schema(parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="true：只列出未读")])
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """我的通知: only the signed-in person's own, unread first."""

    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        unread_only = self.action == "list" and self.request.query_params.get("unread") in ("true", "1")
        return selectors.notification_list(user=self.request.user, unread_only=unread_only)

    def get_object(self):
        return _fetch(self.get_queryset(), self.kwargs["pk"])

    @extend_schema(request=None, responses={200: NotificationSerializer}, description="把一条通知标为已读。")
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        services.notification_read(user=request.user, notification=notification)
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses={200: ReadAllSerializer}, description="把我的全部未读通知标为已读。")
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.notifications_read_all(user=request.user)})


class AnnouncementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """通知公告: everyone it was sent to reads it (opening it records a 阅读回执); the 创建办 publishes."""

    serializer_class = AnnouncementSerializer
    permission_classes = [permissions.IsAuthenticated, InUnit]

    def get_queryset(self):
        return selectors.announcement_list(user=self.request.user).prefetch_related("attachments")

    def get_object(self):
        return _fetch(self.get_queryset(), self.kwargs["pk"])

    @extend_schema(description="读取一条通知公告，并记录本人的阅读回执。")
    def retrieve(self, request, pk=None):
        announcement = self.get_object()
        if services.announcement_opened(user=request.user, announcement=announcement):
            announcement.is_read = True
        return Response(AnnouncementSerializer(announcement).data)

    @extend_schema(request={"multipart/form-data": AnnouncementCreateSerializer,
                            "application/json": AnnouncementCreateSerializer},
                   responses={201: AnnouncementSerializer, 400: OpenApiResponse(description="各字段或各附件的错误（中文）")},
                   description="创建办发布通知公告（全单位或所选部门），接收人会收到通知。")
    def create(self, request):
        if not request.user.has_role(Role.OFFICE):
            raise PermissionDenied("只有创建办可以发布通知公告。")
        data = validated(AnnouncementCreateSerializer, request)
        departments = list(Department.objects.restrict(request.user).filter(pk__in=data["departments"]))
        if len(departments) != len(set(data["departments"])):
            raise ValidationError({"departments": "所选部门不存在。"}, code="does_not_exist")
        announcement = services.announcement_publish(
            actor=request.user, title=data["title"], body=data["body"], departments=departments,
            files=data["files"], origin=Origin.from_request(request))
        return Response(AnnouncementSerializer(self.get_queryset().get(pk=announcement.pk)).data,
                        status=status.HTTP_201_CREATED)

    def get_parsers(self):
        return [JSONParser(), MultiPartParser(), FormParser()]

    @extend_schema(responses={200: ReceiptsSerializer}, description="阅读情况：各部门已读、未读人数和尚未阅读的人（创建办）。")
    @action(detail=True, methods=["get"])
    def receipts(self, request, pk=None):
        announcement = self.get_object()
        if not Announcement.objects.editable_by(request.user).filter(pk=announcement.pk).exists():
            raise PermissionDenied("只有创建办可以查看阅读情况。")
        rows, read, unread = selectors.announcement_receipts(announcement)

        def people(items):
            return [{"id": p.pk, "name": p.real_name or p.username, "read_at": p.read_at} for p in items]

        body = {"announcement": announcement.pk, "read": read, "unread": unread,
                "departments": [{"department": row.name, "read": len(row.read), "unread": len(row.unread),
                                 "unread_people": people(row.unread), "read_people": people(row.read)}
                                for row in rows]}
        return Response(ReceiptsSerializer(body).data)

