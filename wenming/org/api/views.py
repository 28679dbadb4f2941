"""Org endpoints: everyone in a unit lists and reads; the system administrator writes. Same services as the UI."""

from rest_framework import mixins, permissions, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError

from wenming.core.api import required_version
from wenming.core.trail import Origin
from wenming.org import selectors, services
from wenming.org.api.serializers import DepartmentSerializer, UserCreateSerializer, UserSerializer
from wenming.org.models import Department, User
from wenming.org.roles import Role


class _ScopedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    model = None

    def check_write(self, obj=None):
        """Reads are open to the unit; writes need the object in the editable set (or, for a new one, the role)."""
        editable = self.model.objects.editable_by(self.request.user)
        allowed = editable.filter(pk=obj.pk).exists() if obj is not None else self.request.user.has_role(Role.ADMIN)
        if not allowed:
            raise PermissionDenied("只有系统管理员可以修改。")

    def _department(self, value):
        if value is None:
            return None
        department = Department.objects.visible_to(self.request.user).filter(pk=value.pk).first()
        if department is None:
            raise ValidationError({"department": "部门不存在。"})
        return department


class DepartmentViewSet(_ScopedViewSet):
    serializer_class = DepartmentSerializer
    model = Department

    def get_queryset(self):
        return Department.objects.visible_to(self.request.user).order_by("order", "id")

    def perform_create(self, serializer):
        self.check_write()
        data = serializer.validated_data
        serializer.instance = services.department_create(
            actor=self.request.user, unit=self.request.user.unit, name=data["name"],
            parent=self._department(data.get("parent")), order=data.get("order", 0),
            origin=Origin.from_request(self.request),
        )

    def perform_update(self, serializer):
        department = serializer.instance
        self.check_write(department)
        data = serializer.validated_data
        serializer.instance = services.department_update(
            actor=self.request.user, department=department, name=data.get("name", department.name),
            parent=self._department(data["parent"]) if "parent" in data else department.parent,
            order=data.get("order", department.order), is_active=data.get("is_active", department.is_active),
            expected_version=required_version(self.request), origin=Origin.from_request(self.request),
        )

    def perform_destroy(self, department):
        self.check_write(department)
        services.department_delete(actor=self.request.user, department=department,
                                   origin=Origin.from_request(self.request))


class UserViewSet(_ScopedViewSet):
    model = User
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def get_serializer_class(self):
        return UserCreateSerializer if self.action == "create" else UserSerializer

    def get_queryset(self):
        return selectors.people_list(user=self.request.user, active="")

    def get_object(self):
        try:
            return super().get_object()
        except (User.DoesNotExist, ValueError):
            raise NotFound from None

    def perform_create(self, serializer):
        self.check_write()
        data = serializer.validated_data
        serializer.instance = services.user_create(
            actor=self.request.user, unit=self.request.user.unit, username=data["username"],
            real_name=data["real_name"], password=data["password"], department=self._department(data.get("department")),
            job_title=data.get("job_title", ""), phone=data.get("phone", ""), email=data.get("email", ""),
            origin=Origin.from_request(self.request),
        )

    def perform_update(self, serializer):
        person = serializer.instance
        self.check_write(person)
        data = serializer.validated_data
        serializer.instance = services.user_update(
            actor=self.request.user, user=person, real_name=data.get("real_name", person.real_name),
            department=self._department(data["department"]) if "department" in data else person.department,
            job_title=data.get("job_title", person.job_title), phone=data.get("phone", person.phone),
            email=data.get("email", person.email), expected_version=required_version(self.request),
            origin=Origin.from_request(self.request),
        )
