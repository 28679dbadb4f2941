from rest_framework import serializers

from wenming.org.models import Department, User

VERSION_HELP = "记录版本号：修改时带上读取到的版本，若他人已先修改则返回 409。"


class DepartmentSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)

    class Meta:
        model = Department
        fields = ["id", "name", "parent", "order", "is_active", "version"]
        read_only_fields = ["id"]


class UserSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True, default="")
    roles = serializers.SerializerMethodField()
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)

    class Meta:
        model = User
        fields = ["id", "username", "real_name", "job_title", "phone", "email", "department", "department_name",
                  "roles", "is_active", "version"]
        read_only_fields = ["id", "department_name", "roles", "is_active"]

    def get_roles(self, user) -> list[str]:
        return sorted(user.role_set)


class UserCreateSerializer(UserSerializer):
    password = serializers.CharField(write_only=True, help_text="初始密码；本人首次登录时须修改。")

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "password"]
