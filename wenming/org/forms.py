from django import forms
from django.utils.translation import gettext_lazy as _

from wenming.org.roles import Role


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("部门名称"), max_length=60)
    parent = forms.TypedChoiceField(label=_("上级部门"), required=False, coerce=int, empty_value=None)
    order = forms.IntegerField(label=_("排序"), min_value=0, initial=0, help_text=_("数字小的排在前面。"))
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, department_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("（无，顶级部门）")), *department_choices]


class PersonForm(forms.Form):
    username = forms.CharField(label=_("账号"), max_length=150, help_text=_("登录用的账号，建议用姓名拼音或工号。"))
    real_name = forms.CharField(label=_("姓名"), max_length=40)
    department = forms.TypedChoiceField(label=_("部门"), coerce=int, required=False, empty_value=None)
    job_title = forms.CharField(label=_("职务"), max_length=60, required=False)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    password = forms.CharField(
        label=_("初始密码"), widget=forms.PasswordInput(render_value=True), required=False,
        help_text=_("本人首次登录时须修改。须含大小写字母、数字和特殊符号，至少8位。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, department_choices=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("（未分配）")), *department_choices]
        if editing:
            del self.fields["password"]
            self.fields["username"].disabled = True
        else:
            self.fields["password"].required = True


class PasswordResetForm(forms.Form):
    password = forms.CharField(label=_("新的初始密码"), widget=forms.PasswordInput, help_text=_("本人下次登录时须修改。"))


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("角色"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("三员分立：系统管理员、安全管理员、审计管理员须由不同的人担任。"),
    )


class RosterImportForm(forms.Form):
    file = forms.FileField(label=_("名册文件（.xlsx）"))
    initial_password = forms.CharField(
        label=_("新人员的初始密码"), widget=forms.PasswordInput(render_value=True),
        help_text=_("名册中新增的人员用此密码首次登录，登录后须修改。"),
    )
